// The vector-tile decoder (Mapbox's, vendored from npm), loaded only when the viewer draws
// tiles: a map of the seeds never needs it.
import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';

export function decode(bytes) {
  return new VectorTile(new PbfReader(new Uint8Array(bytes)));
}
