// Imports every module of this folder that registers with the table beside it.
import './core.ts';
import './apps.ts';
import './batch.ts';
import './others.ts';
