export type VolumeStatus = 'creating' | 'available' | 'attaching' | 'in-use' | 'detaching' | 'deleting' | 'error';

export interface Volume {
  id: string;
  name: string | null;
  projectId: string;
  sizeGb: number;
  status: VolumeStatus;
  attachedTo: string | null;
  device: string | null;
  createdAt: Date;
}
