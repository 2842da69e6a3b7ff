/** The demo accounts of seeds/demo-data.ts (and the README), as tests log in with them. */
export const FEDERATION = ['jasenpalvelut@liitto.example', 'Demo-jasenpalvelut-1'] as const;
export const ESIMERKKILA = ['sihteeri@esimerkkila.example', 'Demo-esimerkkila-1'] as const;
export const MALLILA = ['sihteeri@mallila.example', 'Demo-mallila-1'] as const;
/** Member 200001, the one demo member with a password. */
export const LIISA = ['200001', 'Liisan-salasana-2026'] as const;
