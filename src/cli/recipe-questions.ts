/**
 * The questions of `recipes new`, asked on any pair of streams (a terminal, or a scripted input in
 * tests): numbered choices or a typed answer, the default in brackets taken by an empty line.
 */
import { createInterface } from 'node:readline/promises';
import { CliError, EXIT } from './errors.js';

export interface Prompter {
  /** One answer; with `choices`, a number of the list or one of the values. */
  ask(question: string, o?: { choices?: Array<{ value: string; label?: string }>; default?: string; check?: (answer: string) => string | null }): Promise<string>;
  close(): void;
}

/**
 * @example
 * const prompter = createPrompter(process.stdin, process.stderr);
 * const app = await prompter.ask('Source app', { choices: [{ value: 'recruitee' }, { value: 'webhook' }] });
 * prompter.close();
 */
export function createPrompter(input: NodeJS.ReadableStream, output: NodeJS.WritableStream): Prompter {
  const rl = createInterface({ input, output, terminal: (input as { isTTY?: boolean }).isTTY === true });
  // lines are read through the iterator, which buffers them: a scripted input that arrives at once is not lost between questions
  const lines = rl[Symbol.asyncIterator]();
  const say = (text: string) => output.write(text);
  return {
    async ask(question, o = {}) {
      const choices = o.choices ?? [];
      if (choices.length > 0) say(`${question}:\n${choices.map((c, i) => `  ${String(i + 1).padStart(2)}) ${c.label ?? c.value}`).join('\n')}\n`);
      for (;;) {
        say(`${choices.length > 0 ? 'Choose' : question}${o.default ? ` [${o.default}]` : ''}: `);
        const next = await lines.next();
        if (next.done) throw new CliError(EXIT.usage, `the input ended before "${question}" was answered`);
        const raw = String(next.value).trim();
        const answer = raw === '' ? (o.default ?? '') : raw;
        let value = answer;
        if (choices.length > 0 && answer !== '') {
          const n = /^\d+$/.test(answer) ? Number(answer) : NaN;
          const found = Number.isInteger(n) ? choices[n - 1] : choices.find((c) => c.value.toLowerCase() === answer.toLowerCase());
          if (!found) {
            say(`  "${answer}" is not one of the list: type its number (1-${choices.length}) or its name\n`);
            continue;
          }
          value = found.value;
        }
        if (value === '') {
          say('  an answer is needed\n');
          continue;
        }
        const problem = o.check?.(value) ?? null;
        if (problem) {
          say(`  ${problem}\n`);
          continue;
        }
        return value;
      }
    },
    close: () => rl.close(),
  };
}
