// The check of an item read from the Bikes table, before anything formats it: one schema for a
// bike (valibot), whole or field by field. Pure, so it is unit-tested directly; lib/catalog.ts
// applies it to every item it reads (docs/decisions/024-hostile-items-cost-one-row.md).
import * as v from "valibot";
import { BIKE_TYPES, type Bike, type BikeField, type CatalogItem, type IncompleteBike } from "./bike";

/** A short label (brand, model, sizes, colour): text a row can show. */
const label = v.pipe(v.string(), v.nonEmpty(), v.maxLength(200));

/** Each field's rule; a field that breaks it is left out of what readers see. */
const BIKE_FIELD_SCHEMAS = {
  id: v.pipe(v.string(), v.nonEmpty()),
  brand: label,
  model: label,
  type: v.picklist(BIKE_TYPES),
  frameSize: label,
  wheelSize: label,
  colour: label,
  year: v.pipe(v.number(), v.integer(), v.minValue(1817), v.maxValue(2100)),
  price: v.pipe(v.number(), v.finite(), v.minValue(0)),
  weightKg: v.pipe(v.number(), v.finite(), v.gtValue(0), v.maxValue(1000)),
  stock: v.pipe(v.number(), v.integer(), v.minValue(0)),
  description: v.pipe(v.string(), v.maxLength(10_000)),
} satisfies { [K in BikeField]: v.GenericSchema<unknown, Bike[K]> };

/** Unknown attributes are dropped: only a bike's own fields ever reach a reader. */
const BIKE_SCHEMA = v.object(BIKE_FIELD_SCHEMAS);

const BIKE_FIELDS = Object.keys(BIKE_FIELD_SCHEMAS) as BikeField[];

/**
 * A whole bike, or, when any field is missing or of the wrong kind, the fields that are valid and
 * the names of the others. Never throws.
 */
export function checkBikeRecord(item: unknown): CatalogItem {
  const whole = v.safeParse(BIKE_SCHEMA, item);
  if (whole.success) return whole.output;
  const record = (typeof item === "object" && item !== null ? item : {}) as Record<string, unknown>;
  const kept: Partial<Record<BikeField, unknown>> = {};
  const incomplete: BikeField[] = [];
  for (const field of BIKE_FIELDS) {
    const checked = v.safeParse(BIKE_FIELD_SCHEMAS[field], record[field]);
    if (checked.success) kept[field] = checked.output;
    else incomplete.push(field);
  }
  // The table's hash key is always a string; anything else still gets a name to be logged under.
  const id = typeof record.id === "string" ? record.id : String(record.id ?? "");
  return { ...kept, id, incomplete } as IncompleteBike;
}
