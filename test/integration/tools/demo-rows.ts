import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUNDLED_DEMO_DATA_DIR } from '../../../src/config/paths.js';

/**
 * The demo files parsed independently of the product (plain string splitting; the demo CSVs
 * have no quoting), so read_data results are checked against the bytes, not against itself.
 */
export interface OrderRow {
  order_id: number;
  customer_id: number;
  order_date: string;
  status: string;
  region: string;
  amount: number;
  quantity: number;
}

export function demoOrders(): OrderRow[] {
  const [, ...lines] = readFileSync(join(BUNDLED_DEMO_DATA_DIR, 'orders.csv'), 'utf8').trim().split('\n');
  return lines.map((line) => {
    const [order_id, customer_id, order_date, status, region, amount, quantity] = line.split(',');
    return {
      order_id: Number(order_id),
      customer_id: Number(customer_id),
      order_date: `${order_date}T00:00:00.000Z`,
      status: status ?? '',
      region: region ?? '',
      amount: Number(amount),
      quantity: Number(quantity),
    };
  });
}

export interface EventRow {
  event_id: string;
  ts: string;
  customer_id: number;
  type: string;
  page: string;
}

export function demoEvents(day: string): EventRow[] {
  return readFileSync(join(BUNDLED_DEMO_DATA_DIR, 'events', `${day}.jsonl`), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as EventRow);
}

export const EVENT_DAYS = ['2026-09-01', '2026-09-02', '2026-09-03', '2026-09-04'];
