/**
 * Names of a revision's children. Fidelity: knative/serving
 * pkg/reconciler/revision/resources/names/names.go (Deployment `<rev>-deployment`,
 * PodAutoscaler and ServerlessService named as the revision).
 */
export const deploymentName = (revision: string): string => `${revision}-deployment`;
export const podAutoscalerName = (revision: string): string => revision;
export const serverlessServiceName = (revision: string): string => revision;
