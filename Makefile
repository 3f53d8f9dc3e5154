# yifa — 依法行政综合管理平台
#   make demo   set up .venv, migrate, load the demo county (if empty) and serve on 127.0.0.1:$${PORT:-8000}
#               with one background worker beside gunicorn (yifa serve starts `yifa worker`)
#   make test   install what the tests need, start a throwaway PostgreSQL, run the suite on SQLite and PostgreSQL

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PORT   ?= 8000

.PHONY: demo install test test-sqlite serve clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

install: $(PY)
	$(PY) -m pip install -q -c constraints.txt -e .

demo: install
	@bash scripts/system-deps.sh fonts-noto-cjk fonts-arphic-ukai libpango-1.0-0 libpangoft2-1.0-0 || echo "（PDF 公文需要上述字体和库 / PDF documents need them）"
	$(PY) -m yifa migrate --noinput -v0
	$(PY) -m yifa demo
	@echo ""
	@echo "打开 / Open: http://127.0.0.1:$(PORT)/"
	PORT=$(PORT) $(PY) -m yifa serve --port $(PORT)

test:
	bash scripts/test.sh

test-sqlite: $(PY)
	$(PY) -m pip install -q -c constraints.txt -e '.[test]'
	$(PY) -m pytest

clean:
	rm -rf var/ .pytest_cache .hypothesis
