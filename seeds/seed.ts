// `npm run seed`: loads the seed data into the emulators (npm start runs it for you), or
// into a real project with --real-project <projectId> and Application Default Credentials.
import { fileURLToPath } from "node:url";
import { dirname } from "node:path";
import { runSeeds } from "../functions/src/seed/run";

const args = process.argv.slice(2);
const realIndex = args.indexOf("--real-project");
const realProject = realIndex >= 0 ? args[realIndex + 1] : undefined;

if (realIndex >= 0) {
  if (!realProject) {
    console.error("usage: npm run seed -- --real-project <projectId>");
    process.exit(2);
  }
  delete process.env.FIRESTORE_EMULATOR_HOST;
  delete process.env.FIREBASE_AUTH_EMULATOR_HOST;
  process.env.GCLOUD_PROJECT = realProject;
  console.log(`Seeding the REAL project ${realProject} (demo accounts included).`);
} else {
  // Default: the emulators of `npm start`, at the ports firebase.json gives them.
  process.env.FIRESTORE_EMULATOR_HOST ??= "127.0.0.1:8080";
  process.env.FIREBASE_AUTH_EMULATOR_HOST ??= "127.0.0.1:9099";
  process.env.GCLOUD_PROJECT ??= "demo-aichat";
}

const report = await runSeeds(dirname(fileURLToPath(import.meta.url)));
console.log(
  `Seeded: users ${report.users}; characters ${report.characters}; config ${report.config}; gallery and avatars ${report.media}.`,
);
