# hantools: small Unix filters for smart-meter HAN port data.
# make            build every tool into $(O)/bin
# make check      build and run the bats suites (the README's test command)
# make install    PREFIX, BINDIR, MANDIR, DESTDIR; install-strip strips the binaries;
#                 uninstall removes what install wrote
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
INSTALL ?= install
INSTALL_PROGRAM ?= $(INSTALL) -m 755
INSTALL_DATA ?= $(INSTALL) -m 644

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
# han-split is hdlc-split under its other name (it then reads -p auto by default)
ALIASES   = $(O)/bin/han-split
# The man pages as installed: the version in the footer (.Os hantools VERSION).
MAN1      = $(patsubst man/%,$(O)/obj/man/%,$(wildcard man/*.1))
MAN5      = $(patsubst man/%,$(O)/obj/man/%,$(wildcard man/*.5))
DEPFLAGS  = -MMD -MP

all: $(BINS) $(ALIASES) $(MAN1) $(MAN5)

$(O)/bin/han-split: $(O)/bin/hdlc-split
	ln -f $< $@

$(O)/obj/%.o: src/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(DEPFLAGS) -Isrc -c -o $@ $<

# The tools print VERSION: they are built again when the Makefile changes.
$(TOOLS:%=$(O)/obj/%.o): Makefile

$(O)/obj/man/%: man/% Makefile
	@mkdir -p $(dir $@)
	sed 's/^\.Os hantools$$/.Os hantools $(VERSION)/' $< > $@.tmp && mv $@.tmp $@

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

testbins: $(BINS) $(ALIASES) $(TESTHELP) $(REPLAY)

# Paths handed to the shell are quoted and made absolute by the shell, not by $(abspath),
# which splits at spaces: the tree may sit in a folder whose name has one (tests/space.bats).
# O itself must not have one: make cannot name such targets.
check: testbins
	HT_BIN="$$(cd "$(O)" && pwd)/bin" bats $(BATSFLAGS) tests

# The same suites under AddressSanitizer and UndefinedBehaviorSanitizer, built aside.
check-asan:
	$(MAKE) O="$(O)/asan" CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" check

bench: all
	sh tests/bench.sh "$(O)/bin"

fuzz:
	sh fuzz/run.sh $(FUZZTIME)

# install(1) writes a new file in place of the old one (a running binary is replaced, not
# "Text file busy"), and each step is one command, so any file that cannot be written
# fails the target. install-strip installs the binaries stripped (install -s).
install: all
	$(INSTALL) -d "$(DESTDIR)$(BINDIR)" "$(DESTDIR)$(MANDIR)/man1" "$(DESTDIR)$(MANDIR)/man5"
	$(INSTALL_PROGRAM) $(BINS) "$(DESTDIR)$(BINDIR)/"
	ln -f "$(DESTDIR)$(BINDIR)/hdlc-split" "$(DESTDIR)$(BINDIR)/han-split"
	$(INSTALL_DATA) $(MAN1) "$(DESTDIR)$(MANDIR)/man1/"
	$(INSTALL_DATA) $(O)/obj/man/hdlc-split.1 "$(DESTDIR)$(MANDIR)/man1/han-split.1"
	$(INSTALL_DATA) $(MAN5) "$(DESTDIR)$(MANDIR)/man5/"

install-strip:
	$(MAKE) INSTALL_PROGRAM='$(INSTALL_PROGRAM) -s' install

# Exactly the files install writes; the directories are left, as they may hold others.
uninstall:
	rm -f $(TOOLS:%="$(DESTDIR)$(BINDIR)/%") "$(DESTDIR)$(BINDIR)/han-split" \
	    "$(DESTDIR)$(MANDIR)/man1/han-split.1" \
	    $(patsubst $(O)/obj/man/%,"$(DESTDIR)$(MANDIR)/man1/%",$(MAN1)) \
	    $(patsubst $(O)/obj/man/%,"$(DESTDIR)$(MANDIR)/man5/%",$(MAN5))

clean:
	rm -rf "$(O)/obj" "$(O)/bin" "$(O)/asan"

.PHONY: all check check-asan bench fuzz install install-strip uninstall clean testbins
.SECONDARY:
