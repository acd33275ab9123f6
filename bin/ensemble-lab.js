#!/usr/bin/env node
'use strict';
const { main, exitAfterOutput } = require('../dist/cli.js');
main(process.argv).then(exitAfterOutput);
