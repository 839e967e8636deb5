# hantools: small Unix filters for smart-meter HAN port data.
# make            build every tool into $(O)/bin
# make check      build and run the bats suites (the README's test command)
# make check-asan the same suites against an ASan+UBSan build
# make bench      throughput and memory figures (not part of check)
# make fuzz       libFuzzer runs (clang), FUZZTIME seconds per harness
# O=DIR puts objects and binaries under DIR instead of the source tree.
# The default CFLAGS ask for DWARF 4 debug information: valgrind 3.19 cannot read the DWARF 5
# that clang 14 writes by default.

# The one place the version is set: the tools' -V and the man pages' footer take it.
VERSION = 0.2.0
PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
MANDIR  ?= $(PREFIX)/share/man
DESTDIR ?=
CC      ?= cc
CFLAGS  ?= -O2 -gdwarf-4
O       ?= .
FUZZTIME ?= 600
BATSFLAGS ?=

WARN = -std=c11 -Wall -Wextra -Wshadow -Wmissing-prototypes -Wvla -Wstrict-prototypes
override CFLAGS += $(WARN) -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -DHAN_VERSION='"$(VERSION)"'

# A tool is a file directly in src/; everything in a folder below it is library code
# (../shared/DESIGN.md), archived into libhan.a. Header dependencies come from -MMD -MP.
TOOLSRC   = $(wildcard src/*.c)
TOOLS     = $(TOOLSRC:src/%.c=%)
LIBSRC    = $(wildcard src/*/*.c)
LIBOBJ    = $(LIBSRC:src/%.c=$(O)/obj/%.o)
TESTHELP  = $(patsubst tests/helpers/%.c,$(O)/bin/test/%,$(wildcard tests/helpers/*.c))
FUZZSRC   = $(wildcard fuzz/fuzz_*.c)
REPLAY    = $(patsubst fuzz/%.c,$(O)/bin/test/%,$(FUZZSRC))
BINS      = $(TOOLS:%=$(O)/bin/%)
DEPFLAGS  = -MMD -MP

all: $(BINS)

$(O)/obj/%.o: src/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(DEPFLAGS) -Isrc -c -o $@ $<

$(O)/obj/libhan.a: $(LIBOBJ)
	@mkdir -p $(dir $@)
	rm -f $@ && $(AR) rcs $@ $(LIBOBJ)

$(O)/bin/%: $(O)/obj/%.o $(O)/obj/libhan.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(O)/obj/libhan.a $(LDLIBS)

$(O)/obj/test/%.o: tests/helpers/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(DEPFLAGS) -Isrc -c -o $@ $<

$(O)/obj/fuzz/%.o: fuzz/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(DEPFLAGS) -Isrc -c -o $@ $<

$(O)/bin/test/%: $(O)/obj/test/%.o $(O)/obj/libhan.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(O)/obj/libhan.a $(LDLIBS)

# Fuzz harnesses double as corpus replayers: fuzz/replay.c supplies main().
$(O)/bin/test/fuzz_%: $(O)/obj/fuzz/fuzz_%.o $(O)/obj/fuzz/replay.o $(O)/obj/libhan.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(O)/obj/fuzz/replay.o $(O)/obj/libhan.a $(LDLIBS)

-include $(wildcard $(O)/obj/*.d $(O)/obj/*/*.d)

testbins: $(BINS) $(TESTHELP) $(REPLAY)

check: testbins
	HT_BIN=$(abspath $(O))/bin bats $(BATSFLAGS) tests

# The same suites under AddressSanitizer and UndefinedBehaviorSanitizer, built aside.
check-asan:
	$(MAKE) O=$(abspath $(O))/asan CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" check

bench: all
	sh tests/bench.sh $(abspath $(O))/bin

fuzz:
	sh fuzz/run.sh $(FUZZTIME)

install: all
	mkdir -p $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5
	for t in $(TOOLS); do cp $(O)/bin/$$t $(DESTDIR)$(BINDIR)/$$t; chmod 755 $(DESTDIR)$(BINDIR)/$$t; done
	for m in man/*.1; do cp $$m $(DESTDIR)$(MANDIR)/man1/; done
	for m in man/*.5; do [ -f $$m ] && cp $$m $(DESTDIR)$(MANDIR)/man5/ || true; done

uninstall:
	for t in $(TOOLS); do rm -f $(DESTDIR)$(BINDIR)/$$t $(DESTDIR)$(MANDIR)/man1/$$t.1; done
	rm -f $(DESTDIR)$(MANDIR)/man5/hantools.5

clean:
	rm -rf $(O)/obj $(O)/bin $(O)/asan

.PHONY: all check check-asan bench fuzz install uninstall clean testbins
.SECONDARY:
