// The bike item the catalog reads and the Bikes table's key schema. The demo data's generator is
// seed tooling: seed/bike-generator.ts.

export interface Bike {
  id: string;
  brand: string;
  model: string;
  type: BikeType;
  frameSize: string;
  wheelSize: string;
  colour: string;
  year: number;
  /** Price in US dollars, whole cents as a decimal number (e.g. 1249.99). */
  price: number;
  /** Weight in kilograms, one decimal. */
  weightKg: number;
  stock: number;
  description: string;
}

/** A bike's fields, as named in the item. */
export type BikeField = keyof Bike;

/**
 * An item of the Bikes table that does not hold a whole bike: only its valid fields are kept, and
 * `incomplete` names the rest (missing or of the wrong kind). It costs its own row, nothing more
 * (docs/decisions/024-hostile-items-cost-one-row.md).
 */
export type IncompleteBike = Partial<Bike> & { id: string; incomplete: BikeField[] };

/** What the catalog reads from the table: a whole bike, or what could be kept of a malformed one. */
export type CatalogItem = Bike | IncompleteBike;

export function isIncomplete(item: CatalogItem): item is IncompleteBike {
  return "incomplete" in item;
}

export const BIKE_TYPES = [
  "road",
  "gravel",
  "mountain",
  "hybrid",
  "city",
  "touring",
  "cargo",
  "e-bike",
  "bmx",
  "track",
] as const;
export type BikeType = (typeof BIKE_TYPES)[number];

/** The Bikes table's key schema: string hash key `id`, no sort key. */
export const BIKE_KEY_SCHEMA = { id: "S" } as const;
