# SPDX-License-Identifier: GPL-2.0
#
# make            the module (against the installed Debian headers) and tool
# make check      every test: style, KUnit (debug kernel), kselftests (both)
# make demo       the seeds' stateful run, shown in a VM
# make bench      ours vs Jool vs IPv6 forwarding (BENCH_ARGS="--quick --boots N")
# make install    module and tool, the usual way (see also dkms.conf)

# Which of Debian's kernels the build and the VM use is found when a recipe
# runs, after `deps` has installed it (tools/stock-kver), never when this
# file is parsed: on a fresh machine there are no headers until then.
# DEPS and VM_RUN are overridable so that selftests/fresh-machine can run
# these recipes against a scratch root (NAT64_ROOT).
DEPS ?= tools/install-deps
VM_RUN ?= selftests/vm/run
RUNNING_KDIR := /lib/modules/$(shell uname -r)/build
KDIR ?= $(if $(wildcard $(RUNNING_KDIR)),$(RUNNING_KDIR),$(shell tools/stock-kver --kdir))
PREFIX ?= /usr/local
# Prefixes a recipe line: the stock kernel's version and headers, exported
# for the scripts the line runs.
STOCK = kver=$$(tools/stock-kver) && kdir=$$(tools/stock-kver --kdir) && \
	export NAT64_STOCK_KVER=$$kver &&

KBUILD_ARGS := M=$(CURDIR)/kernel CONFIG_NAT64=m
DEBUG_SRC := $(CURDIR)/build/debug

.PHONY: all module tool debug-module deps check demo bench install \
	checkpatch sparse clean stock-kdir fuzz

all: module tool

module:
	$(if $(KDIR),,$(error no kernel headers: run tools/install-deps, or set KDIR))
	$(MAKE) -C $(KDIR) $(KBUILD_ARGS) modules

tool:
	$(MAKE) -C tools/nat64

# The debug kernel is built once per machine (see selftests/vm/README);
# the module is built against it from a copy, with the KUnit suites in.
debug-module:
	@kdir=$$(selftests/vm/debug-kernel) && \
	mkdir -p $(DEBUG_SRC) && \
	rsync -a --delete --include='*/' --include='*.c' --include='*.h' --include=Kbuild \
		--exclude='*' kernel/ $(DEBUG_SRC)/ && \
	$(MAKE) -C $$kdir M=$(DEBUG_SRC) CONFIG_NAT64=m \
		CONFIG_NAT64_KUNIT_TEST=y W=1 modules

deps:
	@$(DEPS)

# The headers the stock module is built against, once deps has run.
stock-kdir: deps
	@tools/stock-kver --kdir

check: deps
	+@$(STOCK) $(MAKE) module KDIR=$$kdir && $(MAKE) tool && \
	$(MAKE) debug-module && NAT64_DEBUG_TESTS=$(DEBUG_TESTS) selftests/check

demo: deps
	+@$(STOCK) $(MAKE) module KDIR=$$kdir && $(MAKE) tool && \
	$(VM_RUN) --kernel stock -- selftests/demo.sh

# Ours, Jool and IPv6 forwarding side by side (Documentation/performance.rst).
bench:
	@$(DEPS) --bench
	+@$(STOCK) $(MAKE) module KDIR=$$kdir && $(MAKE) tool && \
	selftests/bench/run $(BENCH_ARGS)

# make fuzz: the hostile-input fuzzers, long, on both kernels
# (selftests/fuzz; FUZZ_SEED=S repeats a run, FUZZ_COUNT=frames).
fuzz: deps
	+@$(STOCK) $(MAKE) module KDIR=$$kdir && $(MAKE) tool && \
	$(MAKE) debug-module && FUZZ_SEED=$(FUZZ_SEED) FUZZ_COUNT=$(FUZZ_COUNT) \
	selftests/fuzz

# The unit goes where systemd looks for the prefix's units
# (/usr/local/lib/systemd/system by default); SYSTEMD_UNIT_DIR overrides.
SYSTEMD_UNIT_DIR ?= $(PREFIX)/lib/systemd/system

install: all
	$(MAKE) -C $(KDIR) $(KBUILD_ARGS) INSTALL_MOD_DIR=extra \
		INSTALL_MOD_PATH=$(DESTDIR) modules_install
	$(MAKE) -C tools/nat64 install PREFIX=$(PREFIX) DESTDIR=$(DESTDIR)
	mkdir -p $(DESTDIR)$(SYSTEMD_UNIT_DIR)
	sed 's|@SBINDIR@|$(PREFIX)/sbin|g' packaging/nat64.service \
		> $(DESTDIR)$(SYSTEMD_UNIT_DIR)/nat64.service
	chmod 0644 $(DESTDIR)$(SYSTEMD_UNIT_DIR)/nat64.service

checkpatch:
	@selftests/style checkpatch

sparse:
	@selftests/style sparse

clean:
	$(MAKE) -C $(KDIR) $(KBUILD_ARGS) clean
	$(MAKE) -C tools/nat64 clean
	rm -rf build
