import * as arrow from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { tableFromIpc, tableToIpc } from '../../../src/formats/arrow-ipc.js';
import { readBatches } from '../../../src/formats/index.js';
import { unifyTables } from '../../../src/formats/unify.js';
import { demoSource, memorySource } from '../../helpers/byte-source.js';
import { collectBatches, rowsOf } from '../../helpers/arrow-values.js';

const sample = () => arrow.tableFromArrays({ id: Int32Array.from([1, 2, 3]), name: ['a', 'b', 'c'], score: Float64Array.from([0.5, 1.5, 2.5]) });

describe('Arrow IPC', () => {
  it.each(['stream', 'file'] as const)('round-trips the %s format with projection', async (format) => {
    const bytes = tableToIpc(sample(), format);
    const table = unifyTables(await collectBatches(readBatches(memorySource(bytes, 't.arrow'), 'arrow', { columns: ['score', 'id'] })));
    expect(rowsOf(table)).toEqual([
      { score: 0.5, id: 1 },
      { score: 1.5, id: 2 },
      { score: 2.5, id: 3 },
    ]);
  });

  it('writes tables whose batches carry different dictionaries (stream format)', async () => {
    const orders = unifyTables(await collectBatches(readBatches(await demoSource('orders.csv'), 'csv', { batchRows: 4000 })));
    expect(orders.batches.length).toBeGreaterThan(1);
    const back = tableFromIpc(tableToIpc(orders));
    expect(back.numRows).toBe(10_000);
    expect(rowsOf(back.slice(9990))).toEqual(rowsOf(orders.slice(9990)));
  });

  it('rejects bytes that are not Arrow IPC and unknown columns', async () => {
    await expect(collectBatches(readBatches(memorySource('not arrow at all', 'x.arrow'), 'arrow'))).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    const bytes = tableToIpc(sample());
    await expect(collectBatches(readBatches(memorySource(bytes.slice(0, bytes.length - 40), 'x.arrow'), 'arrow'))).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(collectBatches(readBatches(memorySource(bytes, 'x.arrow'), 'arrow', { columns: ['nope'] }))).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});
