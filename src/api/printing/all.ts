// Imports every module of this folder that registers with the table beside it.
export {};
