// `posture-console` command line, as built into out/main/cli.js. Node keeps the compiled code of the modules
// loaded after this line on disk (its compile cache, in the system's temp folder), so later runs skip most of
// the parsing and compiling of the bundle and its dependencies; hence the program itself is imported here.
import { enableCompileCache } from 'node:module';
import { applyServeSettings } from './serve-settings';

applyServeSettings();
enableCompileCache?.();
await import('./program');
