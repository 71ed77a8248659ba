/**
 * Prometheus remote write 1.0 on the wire (https://prometheus.io/docs/specs/remote_write_spec/):
 * a protobuf `WriteRequest` of `TimeSeries` (labels sorted by name, samples in time order), compressed
 * with snappy's block format, POSTed with the spec's three headers. Pure: bytes in, bytes out.
 */
import protobuf from 'protobufjs';
import SnappyJS from 'snappyjs';

export interface Label { name: string; value: string }
export interface Sample { value: number; timestamp: number }
export interface TimeSeries { labels: Label[]; samples: Sample[] }

/** The spec's messages (types.proto and remote.proto, version 1.0: no metadata, no histograms). */
const root = protobuf.Root.fromJSON({
  nested: {
    prometheus: {
      nested: {
        WriteRequest: { fields: { timeseries: { rule: 'repeated', type: 'TimeSeries', id: 1 } } },
        TimeSeries: { fields: { labels: { rule: 'repeated', type: 'Label', id: 1 }, samples: { rule: 'repeated', type: 'Sample', id: 2 } } },
        Label: { fields: { name: { type: 'string', id: 1 }, value: { type: 'string', id: 2 } } },
        Sample: { fields: { value: { type: 'double', id: 1 }, timestamp: { type: 'int64', id: 2 } } },
      },
    },
  },
});
const WriteRequest = root.lookupType('prometheus.WriteRequest');

/** The headers every remote write request carries (spec, "Protocol"). */
export const REMOTE_WRITE_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'application/x-protobuf',
  'content-encoding': 'snappy',
  'x-prometheus-remote-write-version': '0.1.0',
};

/** A WriteRequest, protobuf-encoded and snappy-compressed: the body of one POST. */
export function encodeWriteRequest(timeseries: readonly TimeSeries[]): Uint8Array {
  const bytes = WriteRequest.encode(WriteRequest.fromObject({ timeseries })).finish();
  return SnappyJS.compress(bytes);
}

/** The reverse (for tests and for a receiver of our own): body → time series. */
export function decodeWriteRequest(body: Uint8Array): TimeSeries[] {
  const message = WriteRequest.decode(SnappyJS.uncompress(body));
  const plain = WriteRequest.toObject(message, { longs: Number, defaults: true }) as { timeseries?: TimeSeries[] };
  return plain.timeseries ?? [];
}
