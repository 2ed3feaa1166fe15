# SPDX-License-Identifier: GPL-2.0
#
# make            the module (against the installed Debian headers) and tool
# make check      every test: style, KUnit (debug kernel), kselftests (both)
# make demo       the seeds' stateful run, shown in a VM
# make bench      ours vs Jool vs IPv6 forwarding (BENCH_ARGS=--quick)
# make install    module and tool, the usual way (see also dkms.conf)

# The newest kernel that has both an image and headers: the VM boots it.
STOCK_KVER ?= $(shell ls /usr/src | sed -n 's/^linux-headers-\(.*-amd64\)$$/\1/p' | \
	while read v; do [ -e /boot/vmlinuz-$$v ] && echo $$v; done | \
	sort -V | tail -n 1)
RUNNING_KDIR := /lib/modules/$(shell uname -r)/build
KDIR ?= $(if $(wildcard $(RUNNING_KDIR)),$(RUNNING_KDIR),/usr/src/linux-headers-$(STOCK_KVER))
STOCK_KDIR := /usr/src/linux-headers-$(STOCK_KVER)
PREFIX ?= /usr/local
export NAT64_STOCK_KVER := $(STOCK_KVER)

KBUILD_ARGS := M=$(CURDIR)/kernel CONFIG_NAT64=m
DEBUG_SRC := $(CURDIR)/build/debug

.PHONY: all module tool debug-module deps check demo bench install \
	checkpatch sparse clean

all: module tool

module:
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
	@tools/install-deps

check: deps
	$(MAKE) module KDIR=$(STOCK_KDIR)
	$(MAKE) tool
	$(MAKE) debug-module
	selftests/check

demo: deps
	$(MAKE) module KDIR=$(STOCK_KDIR)
	$(MAKE) tool
	selftests/vm/run --kernel stock -- selftests/demo.sh

# Ours, Jool and IPv6 forwarding side by side (Documentation/performance.rst).
bench:
	@tools/install-deps --bench
	$(MAKE) module KDIR=$(STOCK_KDIR)
	$(MAKE) tool
	selftests/bench/run $(BENCH_ARGS)

install: all
	$(MAKE) -C $(KDIR) $(KBUILD_ARGS) INSTALL_MOD_DIR=extra modules_install
	$(MAKE) -C tools/nat64 install PREFIX=$(PREFIX) DESTDIR=$(DESTDIR)

checkpatch:
	@selftests/style checkpatch

sparse:
	@selftests/style sparse

clean:
	$(MAKE) -C $(KDIR) $(KBUILD_ARGS) clean
	$(MAKE) -C tools/nat64 clean
	rm -rf build
