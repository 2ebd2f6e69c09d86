/**
 * S3 paths follow the rules shared by the bucket-based stores (only configured buckets are
 * reachable; `bucket/key`); see `../object-paths.ts`.
 */
export { locate, locateObject, type ObjectLocation as S3Location } from '../object-paths.js';
