/** Why an instance went to ERROR: the last failure, as Nova's instance_faults. */
export interface InstanceFault {
  instanceUuid: string;
  code: number;
  message: string;
  details: string;
  host: string | null;
  createdAt: Date;
}
