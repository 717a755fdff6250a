import { benchLedgerCpu } from './ledger-cpu.js';
await benchLedgerCpu();
