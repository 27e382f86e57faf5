import type {
  Alert,
  AlertBaseline,
  AlertHistoryEntry,
  AlertUpdate,
  SilenceRequest,
  TrafficBand,
} from '@surgewatch/shared';
import { Baseline } from './baseline.js';
import { describeCondition, explain, subjectLabel } from './explain.js';
import { assignIncidents } from './incidents.js';
import { alertId, subjectKey, subjectMap, subjectOf, valuesAt } from './subjects.js';
import {
  idleState,
  isAlerting,
  judgeBreach,
  judgeClear,
  type MachineRule,
  type SeriesState,
} from './machine.js';
import { mergePorts } from './ports.js';
import type { SubjectRef, TrafficReader } from './reader.js';
import { needsBaseline, thresholdOf, type AlertingSettings, type Rule } from './rules.js';
import { seasonalLevel, withSeason } from './seasonal.js';
import { newSilence, silenceMatches } from './silences.js';
import type { AlertStore } from './store.js';

/** History entries kept per alert: a flapping alert must not grow without bound. */
const MAX_HISTORY = 50;
/**
 * How far back late flows re-open seconds for judging, ms: past a router's usual 60-s active
 * timeout, with room for the collector and the pipeline.
 */
export const REVISE_MS = 120_000;
/**
 * Sample periods a rule with a usual level learns before it judges, and samples a key seen
 * then needs: two, so a first period seen only in part (traffic began mid-way) cannot pass
 * for a host's usual level.
 */
const USUAL_COLD = 2;

/** What the caller knows about the completeness of the seconds it asks to judge. */
export interface Judging {
  /**
   * Seconds before this (ms epoch) are final: no late flow is expected in them any more.
   * Default: every second up to the one evaluated.
   */
  finalBefore?: number;
  /** Earlier seconds (ms epoch) that late flows reached since the last call. */
  revised?: readonly number[];
}

interface Series {
  subject: SubjectRef;
  state: SeriesState;
  baseline: Baseline | null;
  alertId: string | null;
  lastEmit: number;
  /** The time-of-day level, recomputed once a minute (minute start, ms epoch). */
  season?: { minute: number; level: ReturnType<typeof seasonalLevel> };
  /** The baseline in force at the last second evaluated. */
  stats?: AlertBaseline | null;
}

interface Track {
  rule: Rule;
  machine: MachineRule;
  series: Map<string, Series>;
  /** First second evaluated, ms epoch. */
  firstT: number | null;
}

/**
 * Rules over the aggregated traffic, one series per rule × subject, each with a robust
 * baseline and an alert state machine; alerts, acknowledgements and silences kept in a store.
 * Pure: every call takes the time (ms epoch) and returns the updates to send.
 */
export class Detector {
  private tracks: Track[] = [];
  private silenceSeq = 0;
  /**
   * Pending alerts not shown yet (`showPendingAfter`): kept here, not in the store, so they
   * are neither sent nor written until they have been pending a while or fire.
   */
  private readonly quiet = new Map<string, Alert>();
  /**
   * When each series alerted (rule and subject → [start, end) ms epoch, end open while it
   * lasts), from the kept alerts, rebuilt once a minute: those minutes are left out of the
   * time-of-day history, so yesterday's attack does not raise today's threshold.
   */
  private spans = { minute: -1, bySeries: new Map<string, [number, number][]>() };
  /** The next second to take as final (clearing, baselines), ms epoch; null before the first call. */
  private finalNext: number | null = null;
  /** The first second ever evaluated, ms epoch: nothing before it is judged. */
  private firstEvaluated: number | null = null;

  /**
   * `silencePrefix` starts every silence id this detector makes: instances that share their
   * alerts (Kafka) pass their own, so two silences made in the same second never share an id.
   */
  constructor(
    rules: readonly Rule[],
    private readonly settings: AlertingSettings,
    private readonly store: AlertStore,
    private readonly silencePrefix = 'sil',
  ) {
    this.setRules(rules);
  }

  /** Replaces the rules; series of rules that keep their name keep their state and baselines. */
  setRules(rules: readonly Rule[]): void {
    const old = new Map(this.tracks.map((tr) => [tr.rule.name, tr]));
    this.tracks = rules.map((rule) => {
      const prev = old.get(rule.name);
      const machine: MachineRule = {
        forMs: rule.for,
        clearBelow: rule.clearBelow,
        clearForMs: rule.clearFor,
      };
      const same = prev && JSON.stringify(prev.rule) === JSON.stringify(rule);
      return same ? prev : { rule, machine, series: new Map(), firstT: null };
    });
    // the quiet pending alerts of series that are gone with their rule
    const live = new Set<string>();
    for (const tr of this.tracks)
      for (const s of tr.series.values()) if (s.alertId) live.add(s.alertId);
    for (const id of this.quiet.keys()) if (!live.has(id)) this.quiet.delete(id);
  }

  /** How many pending alerts are not shown yet. */
  quietCount(): number {
    return this.quiet.size;
  }

  /** Pending alerts not shown yet (see `showPendingAfter`), for the REST API. */
  quietPending(): Alert[] {
    return [...this.quiet.values()].map((a) => structuredClone(a));
  }

  /**
   * Takes over the alerts a durable store replayed at start-up: firing ones continue (same id,
   * their series firing again, their baselines warming up), pending ones are dropped (their
   * seconds are gone), alerts of rules that no longer exist are left as they are.
   */
  restore(): AlertUpdate[] {
    const out: AlertUpdate[] = [];
    for (const a of this.store.list()) {
      if (a.state === 'resolved') continue;
      const tr = this.tracks.find((x) => x.rule.name === a.rule);
      const subject = subjectOf(a.subject);
      if (!tr || a.state === 'pending' || subjectScope(subject) !== tr.rule.scope) {
        if (a.state === 'pending') {
          this.store.remove(a.id);
          out.push({ type: 'remove', id: a.id });
        }
        continue;
      }
      const { sampleEvery, baselineWindow, minSamples } = this.settings;
      tr.series.set(subjectKey(subject), {
        subject,
        state: { ...idleState(), phase: 'firing', start: a.startedAt },
        baseline: needsBaseline(tr.rule)
          ? new Baseline(sampleEvery, Math.ceil(baselineWindow / sampleEvery), minSamples)
          : null,
        alertId: a.id,
        lastEmit: 0,
      });
    }
    return out;
  }

  /**
   * The total traffic's normal band now: the first rule on total bps with a learned baseline
   * gives its median and its threshold; null while it warms up or when no such rule runs.
   */
  band(): TrafficBand | null {
    for (const tr of this.tracks) {
      const { rule } = tr;
      if (rule.scope !== 'total' || rule.metric !== 'bps' || !needsBaseline(rule)) continue;
      const stats = tr.series.get('total')?.stats;
      if (!stats?.warm) return null;
      const upper = thresholdOf(rule.when, stats);
      return upper === null ? null : { median: stats.median, upper };
    }
    return null;
  }

  rules(): Rule[] {
    return this.tracks.map((tr) => tr.rule);
  }

  /**
   * Evaluates second `t` (ms epoch, start of the newest second to judge; calls in order of
   * `t`). Firing is judged on what has arrived so far — late flows only add to a second, so a
   * second above a threshold stays above — and again on every earlier second `judging.revised`
   * names (late flows landed there since the last call, at most {@link REVISE_MS} back).
   * Clearing and baselines take a second only once it is final (before `judging.finalBefore`,
   * default: every second up to `t`): what may still grow never resolves an alert nor teaches
   * a baseline.
   */
  evaluate(t: number, reader: TrafficReader, judging: Judging = {}): AlertUpdate[] {
    const out: AlertUpdate[] = [];
    const finalBefore = Math.min(judging.finalBefore ?? t + 1000, t + 1000);
    this.finalNext ??= Math.min(t, finalBefore);
    this.firstEvaluated ??= t;
    const revised = [...new Set(judging.revised ?? [])]
      .filter((r) => r < t && r >= t - REVISE_MS && r % 1000 === 0)
      .sort((a, b) => a - b);
    const firstRevised = revised[0] ?? null;
    const view = reader.second(t);
    const revisedViews = revised.map((r) => reader.second(r));
    for (const tr of this.tracks) {
      const { rule } = tr;
      // warm-up counts from the first second with traffic, not from an empty history
      if (view) tr.firstT ??= t;
      const values = valuesAt(rule, view, reader);
      this.addSeries(tr, t, values);
      // late flows may bring a subject never seen: it is judged over the seconds they reached
      for (const rv of revisedViews) if (rv) this.addSeries(tr, t, valuesAt(rule, rv, reader));
      for (const [key, s] of tr.series) {
        const value = values.get(key)?.value ?? 0;
        this.advance(tr, s, t, value, reader, firstRevised, finalBefore, out);
        if (s.state.phase === 'idle' && !s.baseline) tr.series.delete(key);
      }
    }
    this.finalize(finalBefore, reader, out);
    this.expireSilences(t + 1000, out);
    if (t % 60_000 === 0) this.prune(t + 1000, out);
    for (const a of assignIncidents(this.store.list())) this.save(a, out);
    return out;
  }

  /**
   * Takes the seconds that became final since the last call, in order: baselines learn them
   * (left out while any rule on the same subject alerts, so an attack never becomes normal),
   * and firing alerts clear on them.
   */
  private finalize(finalBefore: number, reader: TrafficReader, out: AlertUpdate[]): void {
    let f = this.finalNext as number;
    if (f >= finalBefore) return;
    // subjects under attack by any rule: no baseline of theirs learns these seconds
    const attacked = new Set<string>();
    for (const tr of this.tracks)
      for (const s of tr.series.values())
        if (isAlerting(s.state)) attacked.add(subjectKey(s.subject));
    for (; f < finalBefore; f += 1000) {
      const view = reader.second(f);
      for (const tr of this.tracks) {
        if (tr.series.size === 0) continue;
        const values = valuesAt(tr.rule, view, reader);
        for (const [key, s] of tr.series) {
          const value = values.get(key)?.value ?? 0;
          s.baseline?.add(f, value, isAlerting(s.state) || attacked.has(subjectKey(s.subject)));
          if (s.state.phase !== 'firing') continue;
          const threshold = thresholdOf(tr.rule.when, s.stats ?? null);
          if (judgeClear(s.state, f, value, threshold, tr.machine) !== 'resolved') continue;
          this.resolve(tr, s, f, value, reader, out);
          if (!s.baseline || s.baseline.idle()) tr.series.delete(key);
        }
        for (const [key, s] of tr.series)
          if (s.state.phase === 'idle' && s.baseline?.idle()) tr.series.delete(key);
      }
    }
    this.finalNext = f;
  }

  private addSeries(
    tr: Track,
    t: number,
    values: Map<string, { subject: SubjectRef; value: number }>,
  ): void {
    const { rule } = tr;
    const learn = needsBaseline(rule);
    const { sampleEvery, baselineWindow, minSamples, maxSeries } = this.settings;
    // once detection has run for a full warm-up, a key never seen had no traffic: zeros
    const warmRule =
      tr.firstT !== null &&
      t - tr.firstT >= (usualOf(rule) === undefined ? minSamples : USUAL_COLD) * sampleEvery;
    for (const [key, { subject, value }] of values) {
      if (tr.series.has(key) || tr.series.size >= maxSeries) continue;
      // static rules track only breaching series; baseline rules learn every key from a tenth
      // of the floor up (below the floor nothing fires; a spoofed flood's thousands of tiny
      // keys would otherwise fill the table)
      if (value <= trackFrom(rule)) continue;
      const baseline = learn
        ? new Baseline(sampleEvery, Math.ceil(baselineWindow / sampleEvery), minSamples)
        : null;
      if (baseline && warmRule) baseline.prefillZeros(minSamples);
      tr.series.set(key, { subject, state: idleState(), baseline, alertId: null, lastEmit: 0 });
    }
  }

  private advance(
    tr: Track,
    s: Series,
    t: number,
    value: number,
    reader: TrafficReader,
    firstRevised: number | null,
    finalBefore: number,
    out: AlertUpdate[],
  ): void {
    const { rule } = tr;
    const stats = this.baselineOf(s, rule, t, reader);
    s.stats = stats;
    // a rule with a usual level learns before it judges: for its first USUAL_COLD sample
    // periods after detection began (a host busy by nature does not alert while detection
    // starts up), and for a key that appeared then until it has USUAL_COLD samples; a key
    // first seen later had no traffic before (zeros) and its static floor decides at once
    const learning =
      usualOf(rule) !== undefined &&
      (tr.firstT === null ||
        t - tr.firstT < USUAL_COLD * this.settings.sampleEvery ||
        (stats?.samples ?? 0) < USUAL_COLD);
    const threshold = learning ? null : thresholdOf(rule.when, stats);
    let transition: 'pending' | 'firing' | 'dropped' | null = null;
    let peak = value;
    const idleAndBelow =
      s.state.phase === 'idle' &&
      firstRevised === null &&
      (threshold === null || value <= threshold);
    if (s.state.phase !== 'firing' && !idleAndBelow) {
      // the seconds a run may span: from the pending start or the first revised second,
      // `for` back from there (a run ending on a revised second), at most REVISE_MS
      const since = Math.min(s.state.start ?? t, firstRevised ?? t);
      const from = Math.max(
        t - REVISE_MS,
        this.firstEvaluated as number,
        since - Math.max(tr.machine.forMs - 1000, 0),
      );
      const values = reader.series(from, t + 1000, rule.metric, s.subject);
      const before = s.state.start;
      const judged = judgeBreach(s.state, from, values, threshold, tr.machine, finalBefore);
      transition = judged === 'resolved' ? null : judged;
      // a pending alert whose start moved, or that fires from another start, was another alert
      if (before !== null && s.state.start !== null && before !== s.state.start) {
        this.drop(s, out);
        if (transition === 'dropped') transition = 'pending';
      }
      const startAt = s.state.start;
      if (startAt !== null)
        for (let i = (startAt - from) / 1000; i < values.length; i++)
          peak = Math.max(peak, values[i] as number);
    }
    let alert = s.alertId ? (this.store.get(s.alertId) ?? this.quiet.get(s.alertId)) : undefined;
    const pendingFor = s.state.start === null ? 0 : t - s.state.start + 1000;
    const refresh = (a: Alert, event?: AlertHistoryEntry['event']) => {
      this.refresh(tr, s, a, t, value, threshold, reader, event);
      a.peak = Math.max(a.peak, peak);
      this.save(a, out);
    };
    switch (transition) {
      case 'pending':
      case 'firing':
        if (!alert) {
          // replayed after a restart (Kafka re-reads what the last checkpoint did not cover):
          // an episode already judged and ended is not raised a second time
          const known = this.episodeCovering(rule.name, s.subject, s.state.start as number);
          if (known) {
            Object.assign(s.state, idleState(), { after: known.resolvedAt as number });
            return;
          }
          alert = this.newAlert(tr, s, value, threshold ?? 0, reader);
          s.alertId = alert.id;
          if (transition === 'pending' && pendingFor < this.settings.showPendingAfter)
            this.quiet.set(alert.id, alert);
        }
        if (transition === 'firing') this.quiet.delete(alert.id);
        alert.state = transition;
        refresh(alert, transition);
        return;
      case 'dropped':
        this.drop(s, out);
        return;
      case null:
        if (alert && this.quiet.has(alert.id)) {
          if (pendingFor >= this.settings.showPendingAfter) {
            // pending long enough: shown from now on
            this.quiet.delete(alert.id);
            refresh(alert);
          } else {
            alert.value = value;
            alert.peak = Math.max(alert.peak, peak);
          }
          return;
        }
        if (alert && alert.state !== 'resolved' && t - s.lastEmit >= this.settings.updateEvery)
          refresh(alert);
    }
  }

  /** Fresh values and explanation for `a` at second `t`; records `event` when given. */
  private refresh(
    tr: Track,
    s: Series,
    a: Alert,
    t: number,
    value: number,
    threshold: number | null,
    reader: TrafficReader,
    event?: AlertHistoryEntry['event'],
  ): void {
    const at = t + 1000;
    let te = t;
    if (event !== 'resolved')
      ({ te, value } = this.latestOn(tr, s, a, t, value, threshold, reader));
    a.value = value;
    a.peak = Math.max(a.peak, value);
    if (threshold !== null) a.threshold = threshold;
    const explanation = explain(tr.rule, s.subject, s.stats ?? null, te, reader, a.startedAt);
    // every port that carried the attack stays named, at its peak: the last seconds may
    // hold only its tail (or none of its flows, once it resolves)
    if (explanation.ports) explanation.ports = mergePorts(a.explanation?.ports, explanation.ports);
    // who sends it and by which vectors, as of the last second the attack was still on: the
    // seconds that clear an alert hold only ordinary traffic
    const prev = a.explanation;
    const on = threshold === null || value >= threshold * tr.rule.clearBelow;
    if (prev && (!on || explanation.vectors.length === 0)) {
      explanation.vectors = prev.vectors;
      if (!on) {
        explanation.countries = prev.countries;
        explanation.asns = prev.asns;
        explanation.sources = prev.sources;
        if (prev.sourceSummary) explanation.sourceSummary = prev.sourceSummary;
        else delete explanation.sourceSummary;
      }
    }
    a.explanation = explanation;
    if (event) record(a, { at, event, value });
    a.updatedAt = Math.max(a.updatedAt, at);
    s.lastEmit = t;
    this.applySilences(a, at);
  }

  /**
   * The second an alert shows and explains at `t`: the newest second may still be filling (it
   * is judged as soon as it ends), so the fullest of the last three where the attack still
   * is; where late flows fired it (a router's 60-s active timeout), the latest second since
   * its start that is still above its clear level — the seconds after it hold nothing yet.
   */
  private latestOn(
    tr: Track,
    s: Series,
    a: Alert,
    t: number,
    value: number,
    threshold: number | null,
    reader: TrafficReader,
  ): { te: number; value: number } {
    const from = Math.min(t, Math.max(a.startedAt, t - REVISE_MS));
    const values = reader.series(from, t + 1000, tr.rule.metric, s.subject);
    const on = threshold === null ? 0 : threshold * tr.rule.clearBelow;
    const n = values.length;
    let best = { te: t, value };
    for (let i = Math.max(0, n - 3); i < n; i++)
      if ((values[i] as number) > best.value)
        best = { te: from + i * 1000, value: values[i] as number };
    if (best.value >= on && best.value > 0) return best;
    for (let i = n - 4; i >= 0; i--)
      if ((values[i] as number) >= on && (values[i] as number) > 0)
        return { te: from + i * 1000, value: values[i] as number };
    return best;
  }

  /** The series' pending alert never was: removed (or forgotten while not shown yet). */
  private drop(s: Series, out: AlertUpdate[]): void {
    const id = s.alertId;
    s.alertId = null;
    if (!id || this.quiet.delete(id)) return;
    if (this.store.get(id)) {
      this.store.remove(id);
      out.push({ type: 'remove', id });
    }
  }

  /** The series' alert resolves at the end of final second `f`: its episode is over. */
  private resolve(
    tr: Track,
    s: Series,
    f: number,
    value: number,
    reader: TrafficReader,
    out: AlertUpdate[],
  ): void {
    const id = s.alertId;
    s.alertId = null;
    const alert = id ? this.store.get(id) : undefined;
    if (!alert) return;
    alert.state = 'resolved';
    alert.resolvedAt = f + 1000;
    this.refresh(
      tr,
      s,
      alert,
      f,
      value,
      thresholdOf(tr.rule.when, s.stats ?? null),
      reader,
      'resolved',
    );
    this.save(alert, out);
  }

  /** The series' baseline: recent samples, raised to its time-of-day level when known. */
  private baselineOf(s: Series, rule: Rule, t: number, reader: TrafficReader) {
    const recent = s.baseline?.stats() ?? null;
    const season = this.settings.seasonal;
    if (!recent || season.days === 0 || !reader.minutes) return recent;
    const minute = t - (t % 60_000);
    if (s.season?.minute !== minute) {
      const minutes = reader.minutes.bind(reader);
      const spans = this.alertSpans(minute).get(`${rule.name} ${subjectKey(s.subject)}`) ?? [];
      const history = (from: number, to: number) => {
        const values = minutes(from, to, rule.metric, s.subject);
        if (spans.length === 0) return values;
        return values.map((v, i) => {
          const m = from + i * 60_000;
          return spans.some(([a, b]) => a < m + 60_000 && m < b) ? null : v;
        });
      };
      const level = seasonalLevel(t, history, {
        days: season.days,
        minDays: season.minDays,
        slotMs: season.slot,
      });
      s.season = { minute, level };
    }
    return withSeason(recent, s.season.level, {
      days: season.days,
      minDays: season.minDays,
      slotMs: season.slot,
    });
  }

  private alertSpans(minute: number): Map<string, [number, number][]> {
    if (this.spans.minute === minute) return this.spans.bySeries;
    const bySeries = new Map<string, [number, number][]>();
    for (const a of this.store.list()) {
      const key = `${a.rule} ${subjectKey(subjectOf(a.subject))}`;
      const list = bySeries.get(key) ?? [];
      list.push([a.startedAt, a.resolvedAt ?? Infinity]);
      bySeries.set(key, list);
    }
    this.spans = { minute, bySeries };
    return bySeries;
  }

  private newAlert(
    tr: Track,
    s: Series,
    value: number,
    threshold: number,
    reader: TrafficReader,
  ): Alert {
    const { rule } = tr;
    const start = s.state.start as number;
    const label = subjectLabel(reader, s.subject);
    const prev = this.previousEpisode(rule.name, s.subject, start);
    const joins = prev?.resolvedAt != null && start - prev.resolvedAt <= this.settings.refireGrace;
    return {
      id: alertId(rule.name, s.subject, start),
      rule: rule.name,
      severity: rule.severity,
      state: 'pending',
      subject: subjectMap(s.subject),
      description: `${label}: ${rule.description || describeCondition(rule)}`,
      metric: rule.metric,
      threshold,
      value,
      peak: value,
      startedAt: start,
      updatedAt: start,
      resolvedAt: null,
      ack: null,
      labels: { ...rule.labels },
      silencedBy: null,
      incidentId: joins ? (prev?.incidentId ?? null) : null,
      episode: {
        n: prev ? (prev.episode?.n ?? 1) + 1 : 1,
        previousId: prev?.id ?? null,
        previousStartedAt: prev?.startedAt ?? null,
        previousResolvedAt: prev?.resolvedAt ?? null,
      },
      history: [],
    };
  }

  /** A kept, resolved alert of the rule and subject whose span holds second `t` (ms epoch). */
  private episodeCovering(rule: string, subject: SubjectRef, t: number): Alert | undefined {
    const key = subjectKey(subject);
    return this.store
      .list()
      .find(
        (a) =>
          a.rule === rule &&
          a.state === 'resolved' &&
          a.startedAt <= t &&
          t < (a.resolvedAt ?? -Infinity) &&
          subjectKey(subjectOf(a.subject)) === key,
      );
  }

  /** The latest kept alert of the same rule and subject that started before `start`. */
  private previousEpisode(rule: string, subject: SubjectRef, start: number): Alert | undefined {
    const key = subjectKey(subject);
    let best: Alert | undefined;
    for (const a of this.store.list()) {
      if (a.rule !== rule || a.startedAt >= start || subjectKey(subjectOf(a.subject)) !== key)
        continue;
      if (!best || a.startedAt > best.startedAt) best = a;
    }
    return best;
  }

  /** Drops final resolved alerts past `keepFor`, and the oldest past `keepResolved`. */
  private prune(now: number, out: AlertUpdate[]): void {
    const live = new Set<string>();
    for (const tr of this.tracks)
      for (const s of tr.series.values()) if (s.alertId) live.add(s.alertId);
    const done = this.store
      .list()
      .filter((a) => a.state === 'resolved' && !live.has(a.id))
      .sort((x, y) => (y.resolvedAt ?? 0) - (x.resolvedAt ?? 0));
    done.forEach((a, i) => {
      if (i >= this.settings.keepResolved || (a.resolvedAt ?? 0) < now - this.settings.keepFor) {
        this.store.remove(a.id);
        out.push({ type: 'remove', id: a.id });
      }
    });
  }

  private save(a: Alert, out: AlertUpdate[]): void {
    if (this.quiet.has(a.id)) return; // not shown yet: updated in place
    this.store.put(a);
    const i = out.findIndex((u) => u.type === 'upsert' && u.alert.id === a.id);
    if (i >= 0) out.splice(i, 1);
    out.push({ type: 'upsert', alert: structuredClone(a) });
  }

  /** Marks whether a silence mutes `a` at `now`; true when that changed. */
  private applySilences(a: Alert, now: number): boolean {
    const hit = this.store.silences().find((sl) => silenceMatches(sl, a, now));
    const next = hit?.id ?? null;
    if ((a.silencedBy ?? null) === next) return false;
    a.silencedBy = next;
    record(a, { at: now, event: next ? 'silenced' : 'unsilenced', value: a.value });
    a.updatedAt = Math.max(a.updatedAt, now);
    return true;
  }

  private expireSilences(now: number, out: AlertUpdate[]): void {
    let expired = false;
    for (const sl of this.store.silences()) {
      if (sl.expiresAt <= now) {
        this.store.removeSilence(sl.id);
        expired = true;
      }
    }
    if (expired) this.resilence(now, out);
  }

  private resilence(now: number, out: AlertUpdate[]): void {
    for (const a of this.store.list()) {
      if (a.state !== 'resolved' && this.applySilences(a, now)) this.save(a, out);
    }
  }

  /**
   * Acknowledges an alert, or every alert of an incident when `id` names one, by `by` at `now`
   * (ms epoch). Null when neither exists.
   */
  acknowledge(
    id: string,
    by: string,
    note: string,
    now: number,
  ): { alerts: Alert[]; updates: AlertUpdate[] } | null {
    const hidden = this.quiet.get(id);
    if (hidden) {
      // acknowledged from the REST API before it was shown: show it now
      this.quiet.delete(id);
      this.store.put(hidden);
    }
    const one = this.store.get(id);
    const targets = one ? [one] : this.store.list().filter((a) => a.incidentId === id);
    if (targets.length === 0) return null;
    const updates: AlertUpdate[] = [];
    for (const a of targets) {
      a.ack = { by, at: now, note };
      record(a, { at: now, event: 'acknowledged', value: a.value, by, note });
      a.updatedAt = Math.max(a.updatedAt, now);
      this.save(a, updates);
    }
    return { alerts: targets.map((a) => structuredClone(a)), updates };
  }

  /** Creates a silence and applies it to current alerts. */
  silence(req: SilenceRequest, by: string, now: number) {
    const silence = newSilence(
      req,
      `${this.silencePrefix}-${Math.floor(now / 1000)}-${++this.silenceSeq}`,
      by,
      now,
    );
    this.store.putSilence(silence);
    const updates: AlertUpdate[] = [];
    this.resilence(now, updates);
    return { silence, updates };
  }

  /** Ends a silence early; null when there is none with that id. */
  unsilence(id: string, now: number): AlertUpdate[] | null {
    if (!this.store.removeSilence(id)) return null;
    const updates: AlertUpdate[] = [];
    this.resilence(now, updates);
    return updates;
  }
}

function subjectScope(subject: SubjectRef): string {
  return subject ? subject.dim : 'total';
}

/** A static rule's `usual` factor, if it has one. */
function usualOf(rule: Rule): number | undefined {
  return 'above' in rule.when ? rule.when.usual : undefined;
}

/** The value above which a key gets a series of its own, in the rule's metric. */
function trackFrom(rule: Rule): number {
  const w = rule.when;
  if ('above' in w) return w.usual === undefined ? w.above : w.above / 10;
  return ('baseline' in w ? w.baseline.floor : w.zscore.floor) / 10;
}

function record(a: Alert, e: AlertHistoryEntry): void {
  a.history ??= [];
  a.history.push(e);
  if (a.history.length > MAX_HISTORY) a.history.splice(1, a.history.length - MAX_HISTORY);
}
