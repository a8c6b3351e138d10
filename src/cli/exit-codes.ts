// Exit codes, documented in the README ("Exit codes").
export const EXIT_OK = 0; // success; also a capture cut short inside its last record (a warning)
export const EXIT_FAIL_ON = 1; // --fail-on matched a RST (reserved)
export const EXIT_USAGE = 2; // bad command line
export const EXIT_UNREADABLE = 3; // file missing or unreadable, or not a pcap/pcapng capture
export const EXIT_DAMAGED = 4; // damaged capture: analyzed up to the damage, results before it are printed
export const EXIT_INTERNAL = 70; // a bug in rstscope (reported in one line)
