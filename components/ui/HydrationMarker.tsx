"use client";
import { useEffect } from "react";

/**
 * Marks the document once React has hydrated it (data-hydrated on <html> and a performance mark), so
 * tests and the TTFB tools can tell "rows on screen" from "page interactive".
 */
export function HydrationMarker() {
  useEffect(() => {
    document.documentElement.dataset.hydrated = "true";
    performance.mark("firstbyte:hydrated");
  }, []);
  return null;
}
