# Two commands do everything on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
STAMP := $(VENV)/.installed
# Message catalogs: the .po are written by people, the .mo compiled from them here (no download).
CATALOGS := $(wildcard bot/locale/*/LC_MESSAGES/newsbot.po)
COMPILED := $(CATALOGS:.po=.mo)

.PHONY: install run test lint bench clean catalogs

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[test,bench]'
	$(VENV)/bin/python -m bot.catalogs compile
	touch $(STAMP)

$(COMPILED): %.mo: %.po $(STAMP)
	$(VENV)/bin/python -m bot.catalogs compile

install: $(STAMP) $(COMPILED)  # the venv, the `newsbot` command and the catalogs; nothing starts

run: $(STAMP) $(COMPILED)
	$(VENV)/bin/newsbot run

catalogs: $(STAMP)  # after changing messages in the code: add new ones, drop gone ones
	$(VENV)/bin/python -m bot.catalogs update

test: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/python -m bot.catalogs check
	$(VENV)/bin/python -m bot.catalogs compile
	# Two workers, one per core of the reference machine: the suite takes 5 min instead of
	# 11-13. Not `-n auto`: a container may report more CPUs than it may use, and timed
	# end-to-end tests starved of CPU would fail. --durations: the slowest tests.
	$(VENV)/bin/python -m pytest -q -n 2 --durations=15

bench: $(STAMP)
	$(VENV)/bin/python bench/rouge.py

clean:
	rm -rf $(VENV) $(COMPILED) newsbot.db newsbot.db-wal newsbot.db-shm
