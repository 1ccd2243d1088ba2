// The component tests again on React 18 (the package supports 18 and 19; the dev dependencies
// are 19). REACT18_DIR is a node_modules holding react@18 and react-dom@18: client/test-react18.sh
// installs them beside the project's own and runs this.
const { join } = require('node:path');
const base = require('../jest.config.js');

const dir = process.env.REACT18_DIR;
if (!dir) throw new Error('REACT18_DIR must name a node_modules with react@18 and react-dom@18 (run client/test-react18.sh)');
const client = base.projects.find((project) => project.displayName === 'client');

module.exports = {
  rootDir: join(__dirname, '..'),
  projects: [
    {
      ...client,
      rootDir: join(__dirname, '..'),
      displayName: 'client-react18',
      testRegex: 'client/react/.*\\.spec\\.tsx$',
      moduleNameMapper: {
        '^react$': `${dir}/react`,
        '^react/(.*)$': `${dir}/react/$1`,
        '^react-dom$': `${dir}/react-dom`,
        '^react-dom/(.*)$': `${dir}/react-dom/$1`,
      },
    },
  ],
};
