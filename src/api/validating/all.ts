// Imports every module of this folder that registers with the table beside it.
import './pod.ts';
import './service.ts';
import './config.ts';
import './core.ts';
import './apps.ts';
import './batch.ts';
import './rbac.ts';
import './others.ts';
