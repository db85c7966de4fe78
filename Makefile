# scstu top-level Makefile. See README.md.
#   make            build kernel modules and userspace
#   make deps       install the Debian packages everything needs
#   make test       unit tests (native, ASan, UBSan) + VM integration tests
#   make test T=x   one integration test by name
#   make run        boot the VM with the default configuration (demo)
#   make bench      benchmarks in the VM

SHELL := /bin/bash
KDIR ?= $(shell ls -d /lib/modules/*/build 2>/dev/null | sort -V | tail -1)
KVER ?= $(notdir $(patsubst %/build,%,$(KDIR)))
BUILD ?= $(CURDIR)/build
CC ?= gcc
export KDIR KVER BUILD

.PHONY: all modules userspace tools unit deps test unit-test vm-test run bench \
	install clean checkpatch

all: modules userspace

modules:
	@test -n "$(KDIR)" -a -d "$(KDIR)" || { echo "no kernel headers: run 'make deps' or set KDIR=" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR)/kernel W=1 modules

# userspace parts, each built by its own Makefile once it exists
USER_DIRS := libscstuser samples handlers/vtl tests/user-abi tests/bench

userspace: tools
	@for d in $(USER_DIRS); do \
		if [ -f $$d/Makefile ]; then \
			$(MAKE) -C $$d BUILD=$(BUILD) || exit 1; \
		fi; \
	done

tools:
	$(MAKE) -C tools BUILD=$(BUILD)

deps:
	@bash tests/deps.sh

unit-test:
	@if [ -f tests/unit/Makefile ]; then \
		$(MAKE) -C tests/unit BUILD=$(BUILD) run; \
	else \
		echo "unit-test: tests/unit/Makefile does not exist yet, skipped"; \
	fi

test:
	@bash tests/deps.sh --quiet
	@bash tests/run-all.sh $(T)

run:
	@bash tests/deps.sh --quiet
	@$(MAKE) all
	@bash tests/vm/demo.sh

bench:
	@bash tests/deps.sh --quiet
	@$(MAKE) all
	@bash tests/bench/run.sh

checkpatch:
	@bash tests/checkpatch.sh

install: userspace
	$(MAKE) -C tools BUILD=$(BUILD) install
	$(MAKE) -C libscstuser BUILD=$(BUILD) install

clean:
	-$(MAKE) -C $(KDIR) M=$(CURDIR)/kernel clean
	rm -rf $(BUILD)
