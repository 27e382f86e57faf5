import protobuf from 'protobufjs';

// The part of goflow2 v2's `flowpb.FlowMessage` (pb/flow.proto) that surgewatch reads or
// writes. Field numbers and types are the wire contract; fields not listed here are skipped
// by the decoder, as protobuf intends. Defined in code: nothing is loaded at run time.

/** FlowMessage field numbers. */
export const FIELD = {
  type: 1,
  sampling_rate: 3,
  sequence_num: 4,
  src_addr: 6,
  dst_addr: 7,
  bytes: 9,
  packets: 10,
  sampler_address: 11,
  src_as: 14,
  dst_as: 15,
  in_if: 18,
  out_if: 19,
  proto: 20,
  src_port: 21,
  dst_port: 22,
  forwarding_status: 24,
  tcp_flags: 26,
  etype: 30,
  time_received_ns: 110,
  time_flow_start_ns: 111,
  time_flow_end_ns: 112,
} as const;

const FIELD_TYPES: Readonly<Record<keyof typeof FIELD, string>> = {
  type: 'FlowType',
  sampling_rate: 'uint64',
  sequence_num: 'uint32',
  src_addr: 'bytes',
  dst_addr: 'bytes',
  bytes: 'uint64',
  packets: 'uint64',
  sampler_address: 'bytes',
  src_as: 'uint32',
  dst_as: 'uint32',
  in_if: 'uint32',
  out_if: 'uint32',
  proto: 'uint32',
  src_port: 'uint32',
  dst_port: 'uint32',
  forwarding_status: 'uint32',
  tcp_flags: 'uint32',
  etype: 'uint32',
  time_received_ns: 'uint64',
  time_flow_start_ns: 'uint64',
  time_flow_end_ns: 'uint64',
};

/** FlowMessage.FlowType values. */
export const FLOW_TYPE = { FLOWUNKNOWN: 0, SFLOW_5: 1, NETFLOW_V5: 2, NETFLOW_V9: 3, IPFIX: 4 };

function buildFlowMessage(): protobuf.Type {
  const type = new protobuf.Type('FlowMessage');
  type.add(new protobuf.Enum('FlowType', FLOW_TYPE));
  for (const [name, id] of Object.entries(FIELD)) {
    type.add(new protobuf.Field(name, id, FIELD_TYPES[name as keyof typeof FIELD]));
  }
  new protobuf.Root().define('flowpb').add(type);
  type.root.resolveAll();
  return type;
}

/** The reflected `flowpb.FlowMessage` type (protobufjs), for encoding and for tests. */
export const FlowMessage: protobuf.Type = buildFlowMessage();
