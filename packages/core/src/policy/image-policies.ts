/** Glance's policy action names. */
export const ImagePolicy = {
  getImages: 'image:get_images',
  getImage: 'image:get_image',
  addImage: 'image:add_image',
  modifyImage: 'image:modify_image',
  deleteImage: 'image:delete_image',
  uploadImage: 'image:upload_image',
  downloadImage: 'image:download_image',
  publicizeImage: 'image:publicize_image',
  communitizeImage: 'image:communitize_image',
  addMember: 'image:add_member',
  deleteMember: 'image:delete_member',
  getMember: 'image:get_member',
  getMembers: 'image:get_members',
  modifyMember: 'image:modify_member',
} as const;

const ADMIN = 'rule:context_is_admin';
/** The target's `project_id` is the image's owner. */
const ADMIN_OR_OWNER_MEMBER = 'rule:context_is_admin or (role:member and project_id:%(project_id)s)';
const READER = 'rule:context_is_admin or role:reader';
const M = ImagePolicy;

/**
 * Glance's defaults. Which images a project may see at all (public, own, shared with it) is
 * decided by the image service itself; these rules decide who may act.
 */
export const IMAGE_DEFAULT_RULES: Readonly<Record<string, string>> = {
  [M.getImages]: READER,
  [M.getImage]: READER,
  [M.addImage]: ADMIN_OR_OWNER_MEMBER,
  [M.modifyImage]: ADMIN_OR_OWNER_MEMBER,
  [M.deleteImage]: ADMIN_OR_OWNER_MEMBER,
  [M.uploadImage]: ADMIN_OR_OWNER_MEMBER,
  [M.downloadImage]: READER,
  [M.publicizeImage]: 'role:admin',
  [M.communitizeImage]: ADMIN_OR_OWNER_MEMBER,
  [M.addMember]: ADMIN_OR_OWNER_MEMBER,
  [M.deleteMember]: ADMIN_OR_OWNER_MEMBER,
  [M.getMember]: READER,
  [M.getMembers]: READER,
  [M.modifyMember]: 'rule:context_is_admin or (role:member and project_id:%(member_id)s)',
};
