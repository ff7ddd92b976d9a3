// How a bike's numbers read, wherever a bike is shown (the catalog rows and the bike page).
const usd = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" });

/** 1249.99 → "$1,249.99". */
export const formatPrice = (dollars: number): string => usd.format(dollars);

/** 12.34 → "12.3 kg". */
export const formatWeight = (kilograms: number): string => `${kilograms.toFixed(1)} kg`;
