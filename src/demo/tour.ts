/**
 * The scripted tour behind `data-mcp demo`: what an agent does first on a new server, and
 * what it sees. The CLI supplies `call` (an MCP client over stdio to a spawned server), so
 * this file stays free of transport code.
 */
export interface TourResult {
  content?: Array<{ type: string; text?: string }>;
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
}

export type CallTool = (name: string, args: Record<string, unknown>) => Promise<TourResult>;

export interface TourStep {
  title: string;
  tool: string;
  args: Record<string, unknown>;
}

const LARGE_NORTH_ORDERS = {
  connector: 'demo',
  path: 'orders.parquet',
  columns: ['order_id', 'customer_id', 'order_date', 'amount'],
  filter: { and: [{ column: 'status', op: 'eq', value: 'shipped' }, { column: 'region', op: 'eq', value: 'north' }, { column: 'amount', op: 'gt', value: 900 }] },
  limit: 5,
};

export const TOUR: TourStep[] = [
  { title: 'Who am I, and what may I do?', tool: 'whoami', args: {} },
  { title: 'Which data sources are there?', tool: 'list_connectors', args: {} },
  { title: 'What is in the demo folder?', tool: 'browse', args: { connector: 'demo', path: '' } },
  { title: 'What does the orders table look like?', tool: 'describe', args: { connector: 'demo', path: 'orders.parquet' } },
  {
    title: 'Large shipped orders in the north region (typed filter, projected columns)',
    tool: 'read_data',
    args: LARGE_NORTH_ORDERS,
  },
  {
    title: 'The same read again: served from the cache, still authorized and audited',
    tool: 'read_data',
    args: LARGE_NORTH_ORDERS,
  },
  {
    title: 'Revenue by customer segment: a probe joins two sources, aggregates and sorts',
    tool: 'run_probe',
    args: {
      sources: { orders: { connector: 'demo', path: 'orders.parquet', columns: ['customer_id', 'amount'] }, customers: { connector: 'demo', path: 'customers.csv' } },
      steps: [
        { op: 'join', right: 'customers', on: ['customer_id'] },
        { op: 'aggregate', by: ['segment'], metrics: [{ fn: 'sum', column: 'amount', as: 'revenue' }, { fn: 'count', as: 'orders' }, { fn: 'avg', column: 'amount', as: 'avg_order' }] },
        { op: 'sort', by: [{ column: 'revenue', order: 'desc' }] },
      ],
    },
  },
  { title: 'A path that tries to leave the connector is refused', tool: 'read_data', args: { connector: 'demo', path: '../package.json' } },
];

export async function runTour(call: CallTool, print: (text: string) => void, steps: TourStep[] = TOUR): Promise<{ failures: number }> {
  let failures = 0;
  for (const [i, step] of steps.entries()) {
    print(`\n━━ ${i + 1}/${steps.length} ${step.title}`);
    print(`▶ ${step.tool} ${JSON.stringify(step.args)}`);
    const result = await call(step.tool, step.args);
    const text = (result.content ?? []).map((c) => c.text ?? '').join('\n');
    print(text);
    const cache = result.structuredContent?.cache;
    if (typeof cache === 'string') print(`(cache: ${cache})`);
    // The last step is meant to fail; any other error is a broken demo.
    if (result.isError && i !== steps.length - 1) failures += 1;
  }
  return { failures };
}
