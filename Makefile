# cellupsert: PGXS build. make && make install && make installcheck (PGHOST, PGPORT, PGUSER honoured).
EXTENSION = cellupsert
MODULE_big = cellupsert
OBJS = $(patsubst %.cpp,%.o,$(sort $(wildcard src/core/*.cpp src/pg/*.cpp)))
DATA = $(wildcard sql/cellupsert--*.sql) $(wildcard sql/cellupsert_list_tables*.sql)
PGFILEDESC = "cellupsert - validated manual edits of list cells"

# pg_regress reads test/sql/X.sql and writes results/ here; expected/X.out is at the top.
REGRESS := $(patsubst test/sql/%.sql,%,$(sort $(wildcard test/sql/*.sql)))
REGRESS_OPTS = --inputdir=test
ISOLATION := $(patsubst test/specs/%.spec,%,$(sort $(wildcard test/specs/*.spec)))
# Isolation results and diffs go to output_iso/, apart from pg_regress's. Their expected
# outputs are in expected/ too: pg_isolation_regress 15 has no --expecteddir and reads
# output_iso/expected, made a link to it.
ISOLATION_OPTS = --inputdir=test --outputdir=output_iso
# Our installcheck (below) runs the isolation specs even when a regress suite failed.
NO_INSTALLCHECK = 1

# C++17, warnings on for our code but not for the server headers (-isystem wins over -I);
# a switch without a case for every kind (a statement of the catalogue without its text) is
# an error.
PG_CPPFLAGS = -isystem $(includedir_server)
PG_CXXFLAGS = -std=c++17 -Wall -Wextra -Wno-register -Werror=switch
SHLIB_LINK += -lstdc++ -luuid

PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

# Debian's PGXS also compiles LLVM bitcode for JIT inlining, without PG_CXXFLAGS.
COMPILE.cxx.bc += $(PG_CXXFLAGS)

installcheck: output_iso/expected
	@status=0; \
	$(if $(REGRESS),$(pg_regress_installcheck) $(REGRESS_OPTS) $(REGRESS) || status=1;) \
	$(if $(ISOLATION),$(pg_isolation_regress_installcheck) $(ISOLATION_OPTS) $(ISOLATION) || status=1;) \
	exit $$status

output_iso/expected:
	mkdir -p output_iso && ln -s ../expected $@

# PGXS tracks no header dependencies: a change of any header rebuilds every object (and its
# bitcode), so that no object keeps an old layout of a shared declaration.
$(OBJS) $(OBJS:.o=.bc): $(wildcard src/core/*.h src/pg/*.h)
