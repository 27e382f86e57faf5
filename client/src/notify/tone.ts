/**
 * A short two-note alert tone made with WebAudio: nothing is downloaded. Browsers only let a
 * page make sound after a user gesture, so `unlock` is called from the click that turns
 * sound on; until then `play` is silent.
 */
export interface Tone {
  unlock(): void;
  play(): void;
}

export function createTone(): Tone {
  let ctx: AudioContext | null = null;
  return {
    unlock() {
      if (typeof AudioContext === 'undefined') return;
      ctx ??= new AudioContext();
      void ctx.resume();
    },
    play() {
      if (!ctx || ctx.state !== 'running') return;
      const t0 = ctx.currentTime;
      [880, 660].forEach((freq, i) => {
        const osc = ctx!.createOscillator();
        const gain = ctx!.createGain();
        osc.type = 'sine';
        osc.frequency.value = freq;
        const start = t0 + i * 0.22;
        gain.gain.setValueAtTime(0.0001, start);
        gain.gain.exponentialRampToValueAtTime(0.3, start + 0.02);
        gain.gain.exponentialRampToValueAtTime(0.0001, start + 0.2);
        osc.connect(gain).connect(ctx!.destination);
        osc.start(start);
        osc.stop(start + 0.21);
      });
    },
  };
}
