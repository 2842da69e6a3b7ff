/** Every catalog has exactly the keys of the Finnish one, so a missing translation fails type-checking. */
export type CatalogShape<T> = { [K in keyof T]: T[K] extends string ? string : CatalogShape<T[K]> };
