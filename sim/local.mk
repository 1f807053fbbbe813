# sim: the simulator of AiAssist and AI Gate (Python 3, standard library).
# Installed as $(bindir)/aidesk-sim with its package under $(pkgdatadir)/sim,
# where the launcher looks for it.
dist_bin_SCRIPTS = sim/aidesk-sim
simpkgdir = $(pkgdatadir)/sim/aidesksim
dist_simpkg_DATA = \
	sim/aidesksim/__init__.py \
	sim/aidesksim/__main__.py \
	sim/aidesksim/admin.py \
	sim/aidesksim/api_manager.py \
	sim/aidesksim/api_workspaces.py \
	sim/aidesksim/app.py \
	sim/aidesksim/auth.py \
	sim/aidesksim/chat.py \
	sim/aidesksim/cli.py \
	sim/aidesksim/customers.py \
	sim/aidesksim/events.py \
	sim/aidesksim/faults.py \
	sim/aidesksim/gate.py \
	sim/aidesksim/httpd.py \
	sim/aidesksim/idempotency.py \
	sim/aidesksim/models.py \
	sim/aidesksim/pacing.py \
	sim/aidesksim/persist.py \
	sim/aidesksim/realtime.py \
	sim/aidesksim/textbank.py \
	sim/aidesksim/textgen.py \
	sim/aidesksim/tokenizer.py \
	sim/aidesksim/util.py \
	sim/aidesksim/workspaces.py

SIM_TESTS += tests/sim/test_sim.py
SIM_TESTS += tests/sim/test_realtime.py
