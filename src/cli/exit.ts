/**
 * How a knsim command ends: its exit code (0 success, 1 a failed expectation, 2 bad input:
 * scenario, flags, files) and the usage error a command throws for bad flags or files, which
 * main.ts prints in one line with exit 2.
 */
export const EXIT_OK = 0;
export const EXIT_EXPECTATION_FAILED = 1;
export const EXIT_BAD_INPUT = 2;

/** Bad flags or files, said in one line (exit 2, no stack trace). */
export class UsageError extends Error {}
