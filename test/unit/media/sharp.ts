// sharp is a dependency of the functions package only; tests use that same copy, so the
// images they build are decoded by exactly the library the code under test runs on.
import sharp from "../../../functions/node_modules/sharp";

export default sharp;
