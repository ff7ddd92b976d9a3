// A deterministic generator of demo bikes for the catalog: the same seed and index give the same
// bike. Pure: no I/O. Used by the seed, the local stack and tests.
import { BIKE_TYPES, type Bike, type BikeType } from "../lib/bike";

const BRANDS = [
  "Alder",
  "Brightwheel",
  "Cadence",
  "Driftline",
  "Eskerfield",
  "Fernhill",
  "Granite Works",
  "Harrow & Vale",
  "Ironbark",
  "Juniper",
  "Kestrel Row",
  "Larchmont",
];
const MODEL_WORDS = [
  "Aero",
  "Summit",
  "Ridge",
  "Tempo",
  "Strada",
  "Vista",
  "Nomad",
  "Pulse",
  "Orbit",
  "Crest",
  "Falcon",
  "Meridian",
  "Trail",
  "Harbor",
  "Quill",
  "Zephyr",
];
const COLOURS = [
  "graphite",
  "sage green",
  "signal orange",
  "midnight blue",
  "chalk white",
  "oxblood",
  "desert sand",
  "storm grey",
  "teal",
  "raw aluminium",
];
const FRAME_SIZES = ["XS", "S", "M", "L", "XL"];
const WHEELS: Record<BikeType, string[]> = {
  road: ["700c"],
  gravel: ["700c", "650b"],
  mountain: ['27.5"', '29"'],
  hybrid: ["700c"],
  city: ["700c", '28"'],
  touring: ["700c", '26"'],
  cargo: ['20"', '24"'],
  "e-bike": ["700c", '27.5"', '29"'],
  bmx: ['20"'],
  track: ["700c"],
};
const WEIGHT_KG: Record<BikeType, [number, number]> = {
  road: [6.8, 9.5],
  gravel: [8.5, 11],
  mountain: [11, 16],
  hybrid: [10, 13.5],
  city: [13, 18],
  touring: [12, 16],
  cargo: [22, 35],
  "e-bike": [19, 27],
  bmx: [9.5, 12],
  track: [7, 9],
};
const FEATURES = [
  "hydraulic disc brakes",
  "a carbon fork",
  "internal cable routing",
  "tubeless-ready rims",
  "a 1x12 drivetrain",
  "an 11-speed groupset",
  "dynamo lights",
  "full mudguards",
  "a dropper post",
  "a steel frame that rides smooth",
  "rack mounts front and rear",
  "a belt drive",
  "a 500 Wh battery",
  "wide-range gearing",
  "puncture-resistant tyres",
  "an aluminium frame with a lifetime warranty",
];
const USES = [
  "long weekend rides",
  "daily commuting",
  "bikepacking trips",
  "club rides",
  "technical singletrack",
  "school runs and shopping",
  "fast group rides",
  "exploring back roads",
  "riding in all weathers",
  "the velodrome",
  "park sessions",
  "touring across continents",
];

/** mulberry32: a tiny, fast PRNG. Same seed, same sequence, on every platform. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(next: () => number, list: readonly T[]): T {
  return list[Math.floor(next() * list.length)] as T;
}

/** The bike at position `index` of the catalog made from `seed`: independent of every other index. */
export function generateBike(index: number, seed = 1): Bike {
  const next = random(Math.imul(seed, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca6b));
  const type = pick(next, BIKE_TYPES);
  const brand = pick(next, BRANDS);
  const model =
    `${pick(next, MODEL_WORDS)} ${Math.floor(next() * 9) + 1}${pick(next, ["", "00", " SL", " Pro", " LT", " X"])}`.trim();
  const [low, high] = WEIGHT_KG[type];
  const features = [pick(next, FEATURES), pick(next, FEATURES), pick(next, FEATURES)].filter(
    (f, i, all) => all.indexOf(f) === i,
  );
  const colour = pick(next, COLOURS);
  const year = 2018 + Math.floor(next() * 9);
  const price = Math.round((300 + next() ** 2 * 9700) * 100) / 100;
  return {
    id: `bike-${seed.toString(36)}-${index.toString().padStart(7, "0")}`,
    brand,
    model,
    type,
    frameSize: pick(next, FRAME_SIZES),
    wheelSize: pick(next, WHEELS[type]),
    colour,
    year,
    price,
    weightKg: Math.round((low + next() * (high - low)) * 10) / 10,
    stock: Math.floor(next() * 40),
    description:
      `The ${year} ${brand} ${model} is a ${colour} ${type} bike built for ${pick(next, USES)}. ` +
      `It comes with ${features.join(", ")}, and has been tuned by our workshop for ${pick(next, USES)} as well. ` +
      `Every bike is checked, fitted and delivered ready to ride.`,
  };
}

/** `count` bikes starting at `start`, lazily, so 100,000 of them never sit in memory at once. */
export function* generateBikes(count: number, seed = 1, start = 0): Generator<Bike> {
  for (let i = start; i < start + count; i++) yield generateBike(i, seed);
}
