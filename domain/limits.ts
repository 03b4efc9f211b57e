/** Every bound the domain enforces, named once (house style: a limit on everything). */
export const orderLimits = {
  quantityMax: 99,
  draftLinesMax: 100,
  noteLengthMax: 140,
  optionsPerLineMax: 10,
  guestsMax: 99,
  reasonLengthMax: 200,
  itemsPerSessionMax: 2_000,
} as const;
