#!/usr/bin/env node
'use strict';
const { main } = require('../dist/cli.js');
main(process.argv).then((code) => process.exit(code));
