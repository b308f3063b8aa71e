/** A reading is valid when its sgv is in this range (mg/dL); others are sensor errors. */
export const VALID_SGV = Object.freeze({ min: 20, max: 600 });

/** The target range for time in range (mg/dL). */
export const TARGET_RANGE = Object.freeze({ low: 70, high: 180 });
