/**
 * The employee records, in the DynamoDB table `Employees` (hash key `id`, a string), one
 * item per employee with seed 000's attributes: full_name, location, job_title, badges (a
 * list of strings) and object_key (the photo's key in the bucket).
 */
import { randomUUID } from 'node:crypto';
import {
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  ScanCommand,
  UpdateItemCommand,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';

export interface Employee {
  id: string;
  fullName: string;
  location: string;
  jobTitle: string;
  badges: string[];
  objectKey?: string;
}

export type EmployeeFields = Omit<Employee, 'id'>;

export class Employees {
  constructor(
    private readonly db: DynamoDBClient,
    private readonly table: string,
  ) {}

  /** Every employee, by name (the directory is small: a Scan, page after page). */
  async list(): Promise<Employee[]> {
    const out: Employee[] = [];
    let start: Record<string, AttributeValue> | undefined;
    do {
      const page = await this.db.send(new ScanCommand({ TableName: this.table, ExclusiveStartKey: start }));
      for (const item of page.Items ?? []) out.push(fromItem(item));
      start = page.LastEvaluatedKey;
    } while (start);
    return out.sort((a, b) => a.fullName.localeCompare(b.fullName) || a.id.localeCompare(b.id));
  }

  async get(id: string): Promise<Employee | undefined> {
    const { Item } = await this.db.send(new GetItemCommand({ TableName: this.table, Key: { id: { S: id } }, ConsistentRead: true }));
    return Item ? fromItem(Item) : undefined;
  }

  async add(fields: EmployeeFields): Promise<Employee> {
    const employee = { id: randomUUID(), ...fields };
    await this.db.send(
      new PutItemCommand({ TableName: this.table, Item: toItem(employee), ConditionExpression: 'attribute_not_exists(id)' }),
    );
    return employee;
  }

  /**
   * Rewrites an existing employee's fields; a new photo key replaces the old one. Returns
   * the record as it was (to remove a replaced photo), or undefined when there is no such
   * employee (deleted meanwhile): the condition keeps an edit from re-creating it.
   */
  async update(id: string, fields: Omit<EmployeeFields, 'objectKey'>, objectKey?: string): Promise<Employee | undefined> {
    const set = ['full_name = :n', '#loc = :l', 'job_title = :j'];
    const values: Record<string, AttributeValue> = {
      ':n': { S: fields.fullName },
      ':l': { S: fields.location },
      ':j': { S: fields.jobTitle },
    };
    const remove: string[] = [];
    if (fields.badges.length) {
      set.push('badges = :b');
      values[':b'] = { L: fields.badges.map((b) => ({ S: b })) };
    } else remove.push('badges');
    if (objectKey) {
      set.push('object_key = :k');
      values[':k'] = { S: objectKey };
    }
    try {
      const { Attributes } = await this.db.send(
        new UpdateItemCommand({
          TableName: this.table,
          Key: { id: { S: id } },
          // `location` is one of DynamoDB's reserved words.
          UpdateExpression: `SET ${set.join(', ')}${remove.length ? ` REMOVE ${remove.join(', ')}` : ''}`,
          ConditionExpression: 'attribute_exists(id)',
          ExpressionAttributeNames: { '#loc': 'location' },
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_OLD',
        }),
      );
      return Attributes ? fromItem(Attributes) : undefined;
    } catch (err) {
      if ((err as Error).name === 'ConditionalCheckFailedException') return undefined;
      throw err;
    }
  }

  /** Deletes an employee; returns the record it deleted, if there was one. */
  async delete(id: string): Promise<Employee | undefined> {
    const { Attributes } = await this.db.send(
      new DeleteItemCommand({ TableName: this.table, Key: { id: { S: id } }, ReturnValues: 'ALL_OLD' }),
    );
    return Attributes ? fromItem(Attributes) : undefined;
  }
}

function toItem(e: Employee): Record<string, AttributeValue> {
  const item: Record<string, AttributeValue> = {
    id: { S: e.id },
    full_name: { S: e.fullName },
    location: { S: e.location },
    job_title: { S: e.jobTitle },
  };
  if (e.badges.length) item.badges = { L: e.badges.map((b) => ({ S: b })) };
  if (e.objectKey) item.object_key = { S: e.objectKey };
  return item;
}

/** Reads an item leniently: records written by other tools (the console, the CLI) may lack fields. */
function fromItem(item: Record<string, AttributeValue>): Employee {
  const s = (name: string) => item[name]?.S ?? '';
  const badges = item.badges?.L?.flatMap((v) => (v.S ? [v.S] : [])) ?? item.badges?.SS ?? [];
  return {
    id: s('id'),
    fullName: s('full_name'),
    location: s('location'),
    jobTitle: s('job_title'),
    badges,
    ...(item.object_key?.S ? { objectKey: item.object_key.S } : {}),
  };
}
