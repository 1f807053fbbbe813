# The wire (issue 11): what aidesk sends, call by call, against the public
# SDKs' requests (test_wire.py, through a recording proxy in front of the
# simulator), and the simulator against the requests of OpenAI's client
# libraries (test_openai_fixtures.py, fixtures in tests/wire/openai/).
SIM_TESTS += tests/wire/test_openai_fixtures.py tests/wire/test_wire.py
EXTRA_DIST += tests/wire/wirelib.py tests/wire/openai/README.md \
	tests/wire/openai/node-4.104.0.json tests/wire/openai/node-7.60.0.json \
	tests/wire/openai/python-1.x.json
