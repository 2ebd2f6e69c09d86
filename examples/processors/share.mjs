// An example custom processor (README, "Custom processors"): `{op: "share", column, name}` adds
// each row's share of the column's total as a float64 column. Operators list modules like this
// under `probe.processors`; data-mcp loads them at start and runs them under the same limits
// (row ceiling, cancellation, planned schema) as its own steps.
import * as arrow from 'apache-arrow';
import { z } from 'zod';

const schema = z.strictObject({
  op: z.literal('share'),
  column: z.string().min(1).max(256),
  // Not `as`: a step's `as` (and `input`) are routing fields the probe runner keeps for itself.
  name: z.string().min(1).max(256).optional(),
});

function outputName(step) {
  return step.name ?? `${step.column}_share`;
}

export const processors = [
  {
    op: 'share',
    description: 'share {column, name?}: adds each row\'s share of the column total (float64).',
    schema,
    plan(step, input) {
      const field = input.fields.find((f) => f.name === step.column);
      if (!field || !(arrow.DataType.isInt(field.type) || arrow.DataType.isFloat(field.type))) {
        // An error thrown by plan is the agent's to fix: data-mcp reports it as INVALID_ARGUMENT
        // naming the step. An error thrown by run is the processor's fault: INTERNAL.
        throw new Error(`share needs a numeric column; "${step.column}" is not one`);
      }
      return new arrow.Schema([...input.fields, new arrow.Field(outputName(step), new arrow.Float64(), true)]);
    },
    run(step, input) {
      const values = new Float64Array(input.numRows);
      let row = 0;
      for (const data of input.getChild(step.column).data) {
        const raw = data.values;
        for (let i = 0; i < data.length; i++) values[row++] = Number(raw[i]);
      }
      const total = values.reduce((a, b) => a + b, 0);
      for (let i = 0; i < values.length; i++) values[i] = total === 0 ? 0 : values[i] / total;
      const columns = Object.fromEntries(input.schema.fields.map((f) => [f.name, input.getChild(f.name)]));
      columns[outputName(step)] = arrow.makeVector(values);
      return new arrow.Table(columns);
    },
  },
];
