import Type, { type TSchema } from 'typebox';

/** A column that may be NULL, as a response schema: the value or `null` (never absent). */
export const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
