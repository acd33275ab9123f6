import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import schema from '../../../schema/ensemble.schema.json';

let validator: ValidateFunction | undefined;

/**
 * Every schema error of a config value, none when it is valid. The schema is compiled once;
 * `verbose` keeps each failing schema, which messages quote; union types are
 * allowed for the values a sweep may try.
 */
export function validate(value: unknown): ErrorObject[] {
  validator ??= new Ajv({ allErrors: true, verbose: true, allowUnionTypes: true }).compile(schema);
  return validator(value) ? [] : (validator.errors ?? []);
}
