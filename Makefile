# fugu's build, test and lint entry points. `make test` on a fresh Debian
# machine installs what the tests need (as root) and runs every test.

GO        ?= go
BIN       := bin/fugu
VERSION   ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS   := -X main.version=$(VERSION)
LISTEN    ?= 127.0.0.1:8080
FUZZTIME  ?= 5s
STATICCHECK_VERSION := v0.8.2
GOBIN     := $(shell $(GO) env GOPATH)/bin

.PHONY: all build run test race deps lint man bench bench-serve fuzz depcheck clean

all: build

build:
	$(GO) build -ldflags '$(LDFLAGS)' -o $(BIN) ./cmd/fugu

# The main job: fugu serve on the embedded example site.
run: build
	./$(BIN) serve --listen $(LISTEN)

deps:
	@sh .ci/deps

# Every test, including integration tests against a private sshd on
# 127.0.0.1, headless chromium and mksh. With CI=true no test may skip
# because a program is missing.
test: deps
	$(GO) test -timeout 15m ./...

# The race detector over the packages that run many goroutines: the
# home copy engine and its SSH transport, fugu serve, and the commands
# that drive them, in about two minutes on two cores. TestScripts is left
# out: it runs each command as a child process, which under the race
# detector costs more than all the rest, and the engines those commands
# drive are raced in-process here.
RACE_PKGS := ./migrate/home ./migrate/remote/... ./migrate/migratetest ./autoinstall/serve ./cmd/fugu
race: deps
	$(GO) test -race -timeout 10m -skip '^TestScripts$$' $(RACE_PKGS)

lint:
	@echo 'gofmt -l'; out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "$$out"; exit 1; fi
	$(GO) vet ./...
	@# fugu runs on OpenBSD: it must build and vet there, not only here.
	GOOS=openbsd GOARCH=amd64 $(GO) vet ./...
	@test -x $(GOBIN)/staticcheck || $(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)
	$(GOBIN)/staticcheck ./...
	@$(MAKE) --no-print-directory depcheck
	@echo 'sh -n bench/*.sh .ci/*'; for f in bench/*.sh .ci/*; do sh -n "$$f" || exit 1; done

# The pure packages must not reach for the network, processes, SSH or
# terminals; leaves import no other fugu package.
depcheck:
	@sh .ci/depcheck

man: build
	./$(BIN) gen-man man

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

# install.conf requests per second and p99 at 64 concurrent clients over
# a real listener, and heap growth over 100,000 requests.
bench-serve:
	$(GO) test ./autoinstall/serve -run '^$$' -bench 'ServeInstallConf|HandlerInstallConf' -benchtime 100000x

# Each fuzz target for FUZZTIME (seeds come from testdata); see .ci/fuzz.
fuzz:
	@sh .ci/fuzz $(GO) $(FUZZTIME)

clean:
	rm -rf bin man
