// Loads every table of the API: types, defaults, validation, printers.
import './schema/all.ts';
import './defaulting/all.ts';
import './validating/all.ts';
import './printing/all.ts';
