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
