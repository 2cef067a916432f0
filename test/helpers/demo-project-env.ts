// Declaring the Storage trigger needs a default bucket, which the emulators' environment
// gives; without them (a unit run), a demo project's. Import this before functions/src/index.
process.env.GCLOUD_PROJECT ??= "demo-aichat";
process.env.FIREBASE_CONFIG ??= JSON.stringify({
  projectId: process.env.GCLOUD_PROJECT,
  storageBucket: `${process.env.GCLOUD_PROJECT}.appspot.com`,
});
