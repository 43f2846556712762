/**
 * IAM returns policy documents URL-encoded (GetUserPolicy, GetRole, GetPolicyVersion…);
 * the AWS CLI and boto3 decode them, the JS SDK hands them over as they are.
 * Documents are stored exactly as the caller sent them, white space included.
 */
export function encodePolicyDocument(text: string): string {
  return encodeURIComponent(text);
}
