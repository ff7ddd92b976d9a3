// `npm run test:packages`: publint, Are the Types Wrong, the tarball's files and a publish dry run
// for each package (package-check/lint.ts).
import { lintPackages } from "../package-check/lint";

lintPackages();
