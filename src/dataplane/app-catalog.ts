/**
 * The app models of the user containers, by container image: validated once, each spec
 * compiled once into an AppModel and shared by every revision running that image. A
 * revision looks its model up again when its image changes or an app model is replaced.
 *
 * Fidelity: not a Knative component; it stands in for the user's code (app-model.ts).
 *
 * Upstream: none; the image is read from the Revision's spec as the activator's revision
 * lister would (revision-backends.ts).
 */
import { AppModel, lookupAppSpec, validateAppModel, type AppModelSpec } from './app-model.js';

export class AppCatalog {
  private specs: Record<string, AppModelSpec>;
  private readonly compiled = new Map<AppModelSpec, AppModel>();

  /** Throws on the first invalid spec, in image order. */
  constructor(specs: Record<string, AppModelSpec>) {
    this.specs = { ...specs };
    const byImage = Object.entries(this.specs).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    for (const [image, spec] of byImage) checkSpec(image, spec);
  }

  /** The model for an image (`default` or the built-in one when none is given for it). */
  modelFor(image: string | undefined): AppModel {
    const spec = lookupAppSpec(this.specs, image);
    let model = this.compiled.get(spec);
    if (model === undefined) {
      model = new AppModel(spec);
      this.compiled.set(spec, model);
    }
    return model;
  }

  /** The app's extra startup delay for an image (the kubelet adds it before the port answers). */
  startupDelayMs(image: string): number {
    return lookupAppSpec(this.specs, image).startupDelayMs ?? 0;
  }

  /** Replaces the spec of an image; the caller then looks models up again. */
  set(image: string, spec: AppModelSpec): void {
    checkSpec(image, spec);
    this.specs = { ...this.specs, [image]: spec };
  }
}

function checkSpec(image: string, spec: AppModelSpec): void {
  const problems = validateAppModel(spec);
  if (problems.length > 0) throw new Error(`dataplane: app model for "${image}": ${problems.join('; ')}`);
}
